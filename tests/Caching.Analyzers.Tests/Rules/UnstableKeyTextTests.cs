using Caching.Analyzers.Tests.Verifiers;
using Verify = Caching.Analyzers.Tests.Verifiers.AnalyzerVerifier<Caching.Analyzers.Rules.UnstableKeyTextAnalyzer>;

namespace Caching.Analyzers.Tests.Rules;

public class UnstableKeyTextTests
{
    private const string Types = """

        public sealed class Described { public override string ToString() => "d"; }
        public struct PlainStruct { public int X; }
        public interface IQuery { string Text { get; } }
        public sealed class Money : IFormattable { public string ToString(string? format, IFormatProvider? provider) => ""; }
        public sealed record Point(int X, int Y);
        """;

    [Fact]
    public async Task Type_without_text_form_is_reported_on_the_hole()
    {
        var source = Sources.Service("""
                [Cached("user:{|#0:{query}|}")]
                Task<UserProfile?> FindAsync(Opaque query);
            """) + Types;
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.UnstableKeyText).WithLocation(0)
                .WithArguments("query", "user:{query}", "IUserService.FindAsync", "Opaque"));
    }

    [Fact]
    public async Task Objects_structs_interfaces_collections_of_them_and_member_paths_are_reported()
    {
        var source = Sources.Service("""
                [Cached("a:{|CACHE007:{value}|}")]
                Task<string> A(object value);

                [Cached("b:{|CACHE007:{value}|}")]
                Task<string> B(PlainStruct value);

                [Cached("c:{|CACHE007:{value}|}")]
                Task<string> C(IQuery value);

                [Cached("d:{|CACHE007:{values}|}")]
                Task<string> D(List<Opaque> values);

                [Cached("e:{|CACHE007:{value}|}")]
                Task<string> E(PlainStruct? value);

                [Cached("f:{|CACHE007:{filter.Nested}|}")]
                Task<string> F(Filter filter);

                [InvalidatesCache("a:{|CACHE007:{value}|}")]
                Task G(object value);
            """) + Types;
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Supported_types_are_not_reported()
    {
        var source = Sources.Service("""
                [Cached("k:{a}:{b}:{c}:{d}:{e}:{f}:{g}:{h}:{i}:{j}:{k}:{l}:{m}:{n}:{o}")]
                Task<string> A(string a, int b, long? c, decimal d, double e, bool f, char g, Guid h, DateTime i, DateTimeOffset j,
                    DateOnly k, TimeOnly l, TimeSpan m, UserStatus n, UserStatus? o);

                [Cached("k:{a}:{b}:{c}:{d}:{e}:{f}:{g}:{filter.Region}:{filter.Page}:{h}")]
                Task<string> B(Described a, Money b, Point c, int[] d, List<Guid> e, IEnumerable<string> f, IReadOnlyList<int?> g, Filter filter, ValueTuple<int, string> h);

                Task<string> NotCached(object value);

                [Cached("t:{query}", Tags = new[] { "q:{query}" })]
                Task<string> Tagged(string query);
            """) + Types + """

            public interface IGeneric<T>
            {
                [Cached("g:{value}")]
                Task<string> Find(T value);
            }
            """;
        await Verify.VerifyAsync(source);
    }
}
