using Caching.Analyzers.Tests.Verifiers;
using Verify = Caching.Analyzers.Tests.Verifiers.AnalyzerVerifier<Caching.Analyzers.Rules.UncacheableResultAnalyzer>;

namespace Caching.Analyzers.Tests.Rules;

public class UncacheableResultTests
{
    [Fact]
    public async Task Methods_without_a_result_are_reported_on_the_return_type()
    {
        var source = Sources.Service("""
                [Cached("a:{id}")]
                {|#0:Task|} RefreshAsync(string id);

                [Cached("b:{id}")]
                {|CACHE006:void|} Refresh(string id);

                [Cached("c:{id}")]
                {|CACHE006:ValueTask|} RefreshValueAsync(string id);
            """);
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.UncacheableResult).WithLocation(0)
                .WithArguments("IUserService.RefreshAsync", "it returns 'Task' without a result, so there is nothing to cache"));
    }

    [Fact]
    public async Task Streams_async_enumerables_ref_structs_and_ref_returns_are_reported()
    {
        var source = Sources.Usings + """
            using System.IO;

            public interface IFiles
            {
                [Cached("a:{id}")]
                {|CACHE006:IAsyncEnumerable<string>|} StreamAsync(string id);

                [Cached("b:{id}")]
                {|CACHE006:Task<Stream>|} OpenAsync(string id);

                [Cached("c:{id}")]
                {|CACHE006:MemoryStream|} Open(string id);

                [Cached("d:{id}")]
                {|CACHE006:Span<byte>|} Bytes(string id);

                [Cached("e:{id}")]
                {|CACHE006:ref int|} Slot(string id);
            }
            """;
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task By_reference_parameters_are_reported_on_the_parameter()
    {
        var source = Sources.Service("""
                [Cached("a:{id}")]
                Task<string> A(string id, out int {|#0:count|});

                [Cached("b:{id}")]
                string B(string id, ref int {|CACHE006:count|});

                [Cached("c:{id}")]
                string C(in int {|CACHE006:id|});
            """);
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.UncacheableResult).WithLocation(0)
                .WithArguments("IUserService.A", "parameter 'count' is passed by reference ('out'), and a cached call cannot write it back or read it later"));
    }

    [Fact]
    public async Task Ref_struct_and_pointer_parameters_and_pointer_results_are_reported()
    {
        var source = Sources.Usings + """
            public unsafe interface IUnsafe
            {
                [Cached("a:{length}")]
                int Sum(ReadOnlySpan<int> {|#0:values|}, int length);

                [Cached("b:{id}")]
                {|CACHE006:int*|} Address(int id);

                [Cached("c:{id}")]
                int Read(int id, byte* {|CACHE006:buffer|});
            }
            """;
        var test = new Verify.Test { TestCode = source };
        test.SolutionTransforms.Add((solution, projectId) => solution.WithProjectCompilationOptions(
            projectId,
            ((Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!).WithAllowUnsafe(true)));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(DiagnosticDescriptors.UncacheableResult).WithLocation(0)
            .WithArguments("IUnsafe.Sum", "parameter 'values' is a ref struct ('ReadOnlySpan<int>'), which the cached load cannot capture"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Values_lists_arrays_and_invalidating_methods_are_fine()
    {
        var source = Sources.Service("""
                [Cached("a:{id}")]
                Task<UserProfile?> A(string id, CancellationToken ct = default);

                [Cached("b:{id}")]
                ValueTask<IReadOnlyList<UserProfile>> B(string id);

                [Cached("c:{id}")]
                byte[] C(string id);

                [Cached("d:{id}")]
                int D(string id);

                [InvalidatesCache("a:{id}")]
                Task E(string id);

                void NotCached(out int x);
            """);
        await Verify.VerifyAsync(source);
    }
}
