using Caching.Analyzers.Tests.Verifiers;
using Verify = Caching.Analyzers.Tests.Verifiers.AnalyzerVerifier<Caching.Analyzers.Rules.HoleMatchesLiteralAnalyzer>;

namespace Caching.Analyzers.Tests.Rules;

public class HoleMatchesLiteralTests
{
    private const string Catalog = """
            [Cached("products:category:{category}:page:{page}")]
            Task<List<UserProfile>> ByCategoryAsync(string category, int page);

            [Cached("product:{id}")]
            Task<UserProfile?> GetAsync(string id);

        """;

    [Fact]
    public async Task The_issue_pattern_is_reported_on_its_hole_naming_the_literal_and_the_key()
    {
        var source = Sources.Service(Catalog + """
                [InvalidatesCache("products:{|#0:{id}|}:*")]
                Task UpdateAsync(string id);
            """);
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.HoleMatchesLiteral).WithLocation(0).WithArguments(
                "products:{id}:*", "IUserService.UpdateAsync", "id", "category", "products:category:{category}:page:{page}", "IUserService.ByCategoryAsync"));
    }

    [Fact]
    public async Task A_hole_standing_for_a_literal_anywhere_in_the_key_is_reported()
    {
        var source = Sources.Service("""
                [Cached("acme:user:{id}:profile")]
                Task<UserProfile?> GetAsync(string id);

                [Cached("report:daily:{day}")]
                Task<string> ReportAsync(string day);

                [InvalidatesCache("{|#0:{tenant}|}:user:*", "report:{|#1:{kind}|}:{day}", "acme:user:{id}:{|#2:{part}|}")]
                Task UpdateAsync(string tenant, string kind, string day, string id, string part);
            """);
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.HoleMatchesLiteral).WithLocation(0).WithArguments(
                "{tenant}:user:*", "IUserService.UpdateAsync", "tenant", "acme", "acme:user:{id}:profile", "IUserService.GetAsync"),
            Verify.Diagnostic(DiagnosticDescriptors.HoleMatchesLiteral).WithLocation(1).WithArguments(
                "report:{kind}:{day}", "IUserService.UpdateAsync", "kind", "daily", "report:daily:{day}", "IUserService.ReportAsync"),
            Verify.Diagnostic(DiagnosticDescriptors.HoleMatchesLiteral).WithLocation(2).WithArguments(
                "acme:user:{id}:{part}", "IUserService.UpdateAsync", "part", "profile", "acme:user:{id}:profile", "IUserService.GetAsync"));
    }

    [Fact]
    public async Task A_key_the_pattern_reaches_without_a_pun_elsewhere_in_the_compilation_silences_it()
    {
        var source = Sources.Usings + """
            public interface ICatalog
            {
            """ + Catalog + """
            }

            public interface IDetails
            {
                [Cached("products:{id}:details")]
                Task<string> DetailsAsync(string id);
            }

            public interface IWriter
            {
                [InvalidatesCache("products:{id}:*")]
                Task UpdateAsync(string id);
            }
            """ + Sources.Models;
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Holes_over_holes_literals_over_holes_and_wildcards_over_literals_are_fine()
    {
        var source = Sources.Service(Catalog + """
                [Cached("user:{userId}:profile")]
                Task<UserProfile?> ProfileAsync(string userId);

                [InvalidatesCache(
                    "user:{id}:*",
                    "user:{id}:profile",
                    "product:{id}",
                    "product:42",
                    "products:category:{category}:*",
                    "products:*",
                    "products:?ategory:*",
                    "user:{id}:p*")]
                Task UpdateAsync(string id, string category);
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task A_hole_inside_a_segment_that_has_a_hole_of_its_own_is_not_a_pun()
    {
        var source = Sources.Service("""
                [Cached("doc:v{version}:{id}")]
                Task<string> GetAsync(int version, string id);

                [InvalidatesCache("doc:{prefix}:*")]
                Task UpdateAsync(string prefix);
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task A_pattern_that_reaches_nothing_is_left_to_CACHE004()
    {
        var source = Sources.Service(Catalog + """
                [InvalidatesCache("orders:{id}:*")]
                Task UpdateAsync(string id);
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task The_issue_pattern_gets_exactly_one_diagnostic_from_all_the_rules()
    {
        var source = Sources.Service(Catalog + """
                [InvalidatesCache("products:{id}:*", "product:{id}")]
                Task UpdateAsync(string id);
            """);

        var result = await AnalyzerRunner.RunAsync(AnalyzerRunner.Compile(source));

        Assert.Empty(result.Failures);
        var warnings = result.Diagnostics.Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).Select(d => d.Id).ToList();
        Assert.Equal(["CACHE012"], warnings);
    }

    /// <summary>
    /// A generic interface's pattern is written behind its type arguments (issue 12, finding 4): a type argument
    /// standing for another key's literal segment is not a slip in the text the user wrote, so it is not reported;
    /// a hole the user wrote still is.
    /// </summary>
    [Fact]
    public async Task A_type_argument_standing_for_a_literal_is_not_reported_but_a_written_hole_of_the_same_pattern_is()
    {
        var source = Sources.Usings + """
            public interface IOrders
            {
                [Cached("orders:products:{id}")]
                Task<string> ProductAsync(string id);

                [Cached("orders:products:page:{page}")]
                Task<string> PageAsync(int page);
            }

            public interface IRepoWriter<T>
            {
                [InvalidatesCache("products:{id}")]
                Task UpdateAsync(string id);

                [InvalidatesCache("products:{|#0:{name}|}:*")]
                Task RenameAsync(string name);
            }
            """;
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.HoleMatchesLiteral).WithLocation(0).WithArguments(
                "products:{name}:*", "IRepoWriter.RenameAsync", "name", "page", "orders:products:page:{page}", "IOrders.PageAsync"));
    }
}
