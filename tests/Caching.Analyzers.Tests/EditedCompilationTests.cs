using Caching.Analyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Caching.Analyzers.Tests;

/// <summary>
/// An IDE analyzes a new compilation after every keystroke, sharing every tree the keystroke did not touch. The index
/// reuses what it read from those trees (TreeTemplates) only while that reading still holds: each test analyzes one
/// compilation, edits one file, analyzes the next, and checks that the edit (or what it changed in another file's
/// meaning) shows.
/// </summary>
public sealed class EditedCompilationTests
{
    private const string Reader = """
        using System.Threading.Tasks;
        using Caching;

        namespace Shop;

        public interface IReader
        {
            [Cached("user:{id}:profile")]
            Task<string?> GetAsync(string id);
        }
        """;

    private const string Writer = """
        using System.Threading.Tasks;
        using Caching;

        namespace Shop;

        public interface IWriter
        {
            [InvalidatesCache("user:{id}:*")]
            Task UpdateAsync(string id);
        }
        """;

    // A second key, so that the compilation always has one and CACHE004 is judged at all.
    private const string Other = """
        using System.Threading.Tasks;
        using Caching;

        namespace Elsewhere;

        public interface IOther
        {
            [Cached("other:{id}")]
            Task<string?> GetAsync(string id);
        }
        """;

    [Fact]
    public async Task Editing_the_key_file_or_the_pattern_file_is_seen_while_the_other_is_reused()
    {
        var first = AnalyzerRunner.Compile(Reader, Writer, Other);
        Assert.Empty(await DeadPatternsAsync(first));

        var keyRenamed = Replace(first, 0, Reader.Replace("user:{id}:profile", "account:{id}:profile", StringComparison.Ordinal));
        Assert.Equal(["user:{id}:*"], await DeadPatternsAsync(keyRenamed));

        var patternRenamed = Replace(first, 1, Writer.Replace("user:{id}:*", "users:*", StringComparison.Ordinal));
        Assert.Equal(["users:*"], await DeadPatternsAsync(patternRenamed));

        // Back to the first text in a new tree: the reused reader still counts.
        var restored = Replace(patternRenamed, 1, Writer);
        Assert.Empty(await DeadPatternsAsync(restored));
    }

    [Fact]
    public async Task Removing_the_global_using_an_unchanged_file_relied_on_drops_its_key()
    {
        var readerWithoutUsing = Reader.Replace("using Caching;\n", string.Empty, StringComparison.Ordinal);
        var first = AnalyzerRunner.Compile(readerWithoutUsing, Writer, Other, "global using Caching;\n");
        Assert.Empty(await DeadPatternsAsync(first));

        var withoutGlobal = first.RemoveSyntaxTrees(first.SyntaxTrees.ElementAt(3));
        Assert.Equal(["user:{id}:*"], await DeadPatternsAsync(withoutGlobal));
    }

    [Fact]
    public async Task A_key_made_of_a_constant_follows_the_constant_declared_in_another_file()
    {
        var readerOfConstant = Reader.Replace("[Cached(\"user:{id}:profile\")]", "[Cached(Keys.Profile)]", StringComparison.Ordinal);
        const string keys = "namespace Shop;\n\npublic static class Keys\n{\n    public const string Profile = \"user:{id}:profile\";\n}\n";
        var first = AnalyzerRunner.Compile(readerOfConstant, Writer, Other, keys);
        Assert.Empty(await DeadPatternsAsync(first));

        var renamed = Replace(first, 3, keys.Replace("user:{id}:profile", "account:{id}", StringComparison.Ordinal));
        Assert.Equal(["user:{id}:*"], await DeadPatternsAsync(renamed));
    }

    [Fact]
    public async Task A_new_source_type_named_like_the_attribute_takes_over_the_name_in_unchanged_files()
    {
        var first = AnalyzerRunner.Compile(Reader, Writer, Other);
        Assert.Empty(await DeadPatternsAsync(first));

        // A type of the file's own namespace wins over a using directive: IReader's [Cached] is no longer ours.
        const string lookalike = "namespace Shop;\n\npublic sealed class CachedAttribute(string key) : System.Attribute\n{\n    public string Key { get; } = key;\n}\n";
        var shadowed = first.AddSyntaxTrees(CSharpSyntaxTree.ParseText(lookalike, (CSharpParseOptions)first.SyntaxTrees.First().Options, "/src/Lookalike.cs"));
        Assert.Equal(["user:{id}:*"], await DeadPatternsAsync(shadowed));
    }

    private static CSharpCompilation Replace(CSharpCompilation compilation, int index, string source)
    {
        var tree = compilation.SyntaxTrees.ElementAt(index);
        return compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(source, (CSharpParseOptions)tree.Options, tree.FilePath));
    }

    /// <summary>The patterns CACHE004 reports, and no analyzer failure.</summary>
    private static async Task<string[]> DeadPatternsAsync(Compilation compilation)
    {
        var result = await AnalyzerRunner.RunAsync(compilation);
        Assert.Empty(result.Failures);
        return result.Diagnostics
            .Where(d => d.Id == "CACHE004")
            .Select(d => d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan).Trim('"'))
            .ToArray();
    }
}
