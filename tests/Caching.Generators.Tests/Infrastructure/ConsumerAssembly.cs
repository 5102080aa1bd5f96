using System.Runtime.Loader;
using Microsoft.CodeAnalysis;

namespace Caching.Generators.Tests.Infrastructure;

/// <summary>
/// A consumer compiled in memory with the generator, loaded into a collectible context. Caching.Runtime comes from
/// the default context, so the test and the consumer share <see cref="IMultiLayerCache"/>.
/// </summary>
internal sealed class ConsumerAssembly : IDisposable
{
    private readonly AssemblyLoadContext _context;

    private ConsumerAssembly(AssemblyLoadContext context, System.Reflection.Assembly assembly)
    {
        _context = context;
        Assembly = assembly;
    }

    public System.Reflection.Assembly Assembly { get; }

    public static ConsumerAssembly Compile(string source)
    {
        var result = GeneratorHarness.Run(source).AssertCompilesCleanly();
        using var image = new MemoryStream();
        var emit = result.Compilation.Emit(image);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        image.Position = 0;
        var context = new AssemblyLoadContext("consumer-" + Guid.NewGuid().ToString("N")[..8], isCollectible: true);
        return new ConsumerAssembly(context, context.LoadFromStream(image));
    }

    /// <summary>Calls <c>public static Task&lt;string&gt; Consumer.Scenario.RunAsync(IMultiLayerCache)</c>.</summary>
    public Task<string> RunScenarioAsync(IMultiLayerCache cache) =>
        (Task<string>)Assembly.GetType("Consumer.Scenario", throwOnError: true)!.GetMethod("RunAsync")!.Invoke(null, [cache])!;

    public void Dispose() => _context.Unload();
}
