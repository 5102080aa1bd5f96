using System.Text;
using Caching.Analyzers.Tests.Verifiers;
using Caching.Templates;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit.Abstractions;

namespace Caching.Analyzers.Tests;

/// <summary>
/// The analyzers (AD0001) and the generator (CS8785) must never throw, whatever the templates and however incomplete
/// the code. The generator part runs whatever generators Caching.Generators contains.
/// </summary>
public class RobustnessTests(ITestOutputHelper output)
{
    private const string Alphabet = "{}{}::**??..abcdefgxyz_AZ09 \t\u0001\u001f-@[]\\\"";

    private const string Service = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Caching;

        namespace Sample;

        public sealed record UserProfile(string Id, string Name);
        public sealed record ProfileUpdate(string Name);
        public enum UserStatus { Active, Suspended }
        public sealed class Filter { public string Region { get; set; } = ""; public int Page { get; set; } }

        public interface IUserService
        {
            [Cached("user:{userId}:profile", LocalTtl = "5m", RedisTtl = "30m", Tags = new[] { "user:{userId}" })]
            Task<UserProfile?> GetProfileAsync(string userId, CancellationToken ct = default);

            [Cached("users:list:{status}:{filter.Region}", Profile = "fast-changing")]
            Task<IReadOnlyList<UserProfile>> ListAsync(UserStatus status, Filter filter, [NotCacheKey] string? traceId = null, CancellationToken ct = default);

            [InvalidatesCache("user:{userId}:*", "users:list:*", Tags = new[] { "user:{userId}" })]
            Task UpdateProfileAsync(string userId, ProfileUpdate update, CancellationToken ct = default);
        }

        public sealed class UserService : IUserService
        {
            [Cached("user:{userId}:profile")]
            public Task<UserProfile?> GetProfileAsync(string userId, CancellationToken ct = default) => Task.FromResult<UserProfile?>(null);

            public Task<IReadOnlyList<UserProfile>> ListAsync(UserStatus status, Filter filter, string? traceId = null, CancellationToken ct = default) =>
                Task.FromResult<IReadOnlyList<UserProfile>>(Array.Empty<UserProfile>());

            public Task UpdateProfileAsync(string userId, ProfileUpdate update, CancellationToken ct = default) => Task.CompletedTask;
        }
        """;

    [Fact]
    public async Task Thousands_of_random_templates_never_make_an_analyzer_or_the_parser_throw()
    {
        var random = new Random(20240611);
        var templates = 0;
        var reported = new Dictionary<string, int>();
        for (var round = 0; round < 60; round++)
        {
            var source = new StringBuilder(Sources.Usings).AppendLine("public interface IRandom").AppendLine("{");
            for (var method = 0; method < 25; method++)
            {
                var key = RandomTemplate(random);
                var pattern = RandomTemplate(random);
                var tag = RandomTemplate(random);
                templates += 3;
                foreach (var text in new[] { key, pattern, tag })
                {
                    CheckParser(text);
                }

                var ttl = random.Next(4) switch { 0 => "5m", 1 => RandomTemplate(random), 2 => "00:00:01", _ => "" };
                source.AppendLine($"    [Cached({Literal(key, random)}, LocalTtl = {Literal(ttl, random)}, Tags = new[] {{ {Literal(tag, random)} }})]");
                source.AppendLine($"    Task<string> Get{method}(string a, int b, Filter c, object d, CancellationToken ct = default);");
                source.AppendLine($"    [InvalidatesCache({Literal(pattern, random)}, {Literal(RandomTemplate(random), random)})]");
                source.AppendLine($"    Task Set{method}(string a, int b);");
            }

            source.AppendLine("}").Append(Sources.Models);
            var compilation = AnalyzerRunner.Compile(source.ToString());
            Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

            var result = await AnalyzerRunner.RunAsync(compilation);
            Assert.Empty(result.Failures);
            Assert.Empty(GeneratorRunner.Failures(compilation));
            foreach (var diagnostic in result.Diagnostics)
            {
                Assert.True(diagnostic.Location.IsInSource, diagnostic.ToString());
                Assert.True(diagnostic.Location.SourceSpan.End <= diagnostic.Location.SourceTree!.Length, diagnostic.ToString());
                reported[diagnostic.Id] = reported.GetValueOrDefault(diagnostic.Id) + 1;
            }
        }

        output.WriteLine($"{templates} templates; diagnostics: {string.Join(", ", reported.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"))}");
        Assert.True(templates >= 3000);

        // The generator must have produced malformed and unknown-hole templates, or the test proves little.
        Assert.True(reported.GetValueOrDefault("CACHE003") > 100);
        Assert.True(reported.GetValueOrDefault("CACHE001") > 10);
    }

    [Fact]
    public async Task Every_prefix_of_a_service_file_is_analyzed_without_failure()
    {
        // Every position inside the annotated interface (where people type), every 5th elsewhere.
        var start = Service.IndexOf("public interface IUserService", StringComparison.Ordinal);
        var end = Service.IndexOf("public sealed class UserService", StringComparison.Ordinal);
        var lengths = Enumerable.Range(0, Service.Length + 1).Where(n => (n >= start && n <= end) || n % 5 == 0).ToList();
        var failures = new List<string>();
        foreach (var chunk in lengths.Chunk(64))
        {
            var compilations = chunk.Select(n => AnalyzerRunner.Compile(Service[..n])).ToList();
            var results = await Task.WhenAll(compilations.Select(AnalyzerRunner.RunAsync));
            failures.AddRange(results.SelectMany(r => r.Failures));
            failures.AddRange(compilations.SelectMany(GeneratorRunner.Failures));
        }

        output.WriteLine($"{lengths.Count} prefixes analyzed by {AnalyzerRunner.All.Length} analyzers and {GeneratorRunner.All.Length} generators");
        Assert.Empty(failures);
    }

    [Fact]
    public async Task Random_edits_of_a_service_file_are_analyzed_without_failure()
    {
        var random = new Random(7);
        var failures = new List<string>();
        for (var batch = 0; batch < 8; batch++)
        {
            var compilations = Enumerable.Range(0, 50).Select(_ => AnalyzerRunner.Compile(Mutate(Service, random))).ToList();
            var results = await Task.WhenAll(compilations.Select(AnalyzerRunner.RunAsync));
            failures.AddRange(results.SelectMany(r => r.Failures));
            failures.AddRange(compilations.SelectMany(GeneratorRunner.Failures));
        }

        Assert.Empty(failures);
    }

    [Fact]
    public async Task The_correct_service_gets_no_warning_or_error()
    {
        var result = await AnalyzerRunner.RunAsync(AnalyzerRunner.Compile(Service));
        Assert.Empty(result.Failures);
        Assert.Empty(result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    private static void CheckParser(string text)
    {
        foreach (var isPattern in new[] { false, true })
        {
            var template = KeyTemplate.Parse(text, isPattern);
            foreach (var error in template.Errors)
            {
                Assert.InRange(error.Start, 0, text.Length);
                Assert.InRange(error.Start + error.Length, error.Start, text.Length);
            }

            foreach (var part in template.Parts)
            {
                Assert.Equal(part.Kind == TemplatePartKind.Hole ? "{" + part.Text + "}" : part.Text, text.Substring(part.Start, part.Length));
            }

            if (template.IsValid)
            {
                Assert.True(TemplateOverlap.CanOverlap(template, template), text);
            }
        }
    }

    private static string RandomTemplate(Random random)
    {
        // Mostly template-like text (segments and holes), sometimes pure noise from the alphabet.
        var builder = new StringBuilder();
        var length = random.Next(0, 14);
        for (var i = 0; i < length; i++)
        {
            switch (random.Next(6))
            {
                case 0:
                    builder.Append('{').Append(random.Next(3) switch { 0 => "a", 1 => "c.Region", _ => "x" }).Append('}');
                    break;
                case 1:
                    builder.Append(':');
                    break;
                default:
                    builder.Append(Alphabet[random.Next(Alphabet.Length)]);
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>A C# literal for <paramref name="value"/>: plain, verbatim or escaped, whichever the value allows.</summary>
    private static string Literal(string value, Random random)
    {
        var plain = value.All(c => !char.IsControl(c) && c != '"' && c != '\\');
        return plain && random.Next(3) == 0
            ? "@\"" + value + "\""
            : SymbolDisplay.FormatLiteral(value, quote: true);
    }

    private static string Mutate(string source, Random random)
    {
        var builder = new StringBuilder(source);
        var edits = random.Next(1, 6);
        for (var i = 0; i < edits; i++)
        {
            var position = random.Next(builder.Length);
            switch (random.Next(3))
            {
                case 0:
                    builder.Remove(position, Math.Min(random.Next(1, 20), builder.Length - position));
                    break;
                case 1:
                    builder.Insert(position, "{}:*\"[]();,.@ \n"[random.Next(15)]);
                    break;
                default:
                    builder[position] = "{}:*\"()abc"[random.Next(10)];
                    break;
            }
        }

        return builder.ToString();
    }
}
