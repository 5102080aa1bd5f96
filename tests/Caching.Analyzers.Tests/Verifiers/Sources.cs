namespace Caching.Analyzers.Tests.Verifiers;

/// <summary>Shared pieces of test sources.</summary>
internal static class Sources
{
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Caching;

        """;

    public const string Models = """

        public sealed record UserProfile(string Id, string Name);
        public sealed record ProfileUpdate(string Name);
        public enum UserStatus { Active, Suspended }
        public sealed class Filter { public string Region { get; set; } = ""; public int Page { get; set; } public Inner Nested { get; } = new(); }
        public sealed class Inner { public string Code { get; set; } = ""; }
        public sealed class Opaque { public int Value { get; set; } }
        """;

    /// <summary>Wraps an interface body with the usual usings and models.</summary>
    public static string Service(string body) => Usings + "public interface IUserService\n{\n" + body + "\n}\n" + Models;
}
