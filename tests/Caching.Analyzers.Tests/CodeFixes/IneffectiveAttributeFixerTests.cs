using Caching.Analyzers.Tests.Verifiers;
using Verify = Caching.Analyzers.Tests.Verifiers.CodeFixVerifier<Caching.Analyzers.Rules.IneffectiveAttributeAnalyzer, Caching.Analyzers.CodeFixes.IneffectiveAttributeFixer>;

namespace Caching.Analyzers.Tests.CodeFixes;

public class IneffectiveAttributeFixerTests
{
    [Fact]
    public async Task Removes_the_attribute_and_its_empty_list()
    {
        var source = Sources.Usings + """
            public class UserRepository
            {
                [{|CACHE009:Cached("user:{id}")|}]
                public Task<string> GetAsync(string id) => Task.FromResult(id);

                [System.Obsolete, {|CACHE009:InvalidatesCache("user:*")|}]
                public Task ResetAsync() => Task.CompletedTask;

                [{|CACHE009:Cached("a:{id}")|}, {|CACHE009:InvalidatesCache("b:*")|}]
                public static string Both(string id) => id;
            }
            """;
        var fixedSource = Sources.Usings + """
            public class UserRepository
            {
                public Task<string> GetAsync(string id) => Task.FromResult(id);

                [System.Obsolete]
                public Task ResetAsync() => Task.CompletedTask;

                public static string Both(string id) => id;
            }
            """;
        await Verify.VerifyAsync(source, fixedSource);
    }

    [Theory]
    [InlineData(null, "[InvalidatesCache(\"both:*\")]")]
    [InlineData("CACHE009.RemoveOther", "[Cached(\"both:{id}\")]")]
    public async Task Both_attributes_are_one_diagnostic_whose_fixes_remove_either(string? equivalenceKey, string kept)
    {
        var source = Sources.Usings + """
            public interface IBoth
            {
                [{|#0:Cached("both:{id}")|}]
                [{|#1:InvalidatesCache("both:*")|}]
                Task<int> BothAsync(int id);
            }
            """;
        var fixedSource = Sources.Usings + $$"""
            public interface IBoth
            {
                {{kept}}
                Task<int> BothAsync(int id);
            }
            """;
        await Verify.VerifyAsync(
            source,
            fixedSource,
            equivalenceKey,
            Verify.Diagnostic(DiagnosticDescriptors.IneffectiveAttribute).WithLocation(0).WithLocation(1)
                .WithArguments("Cached", "IBoth.BothAsync", "the method has both [Cached] and [InvalidatesCache], and the generator decorates neither; split it into a reading and a writing method"));
    }
}
