using Caching.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Caching.Generators.Tests;

/// <summary>Two assemblies of one application both generate AddCachingDecorators: each keeps its own, with no clash.</summary>
public sealed class TwoAssembliesTests
{
    private const string Library = """
        using System.Threading.Tasks;
        using Caching;
        using Microsoft.Extensions.DependencyInjection;

        namespace Lib;

        public interface ILibService
        {
            [Cached("lib:{id}")]
            Task<int> GetAsync(int id);
        }

        public static class LibraryServices
        {
            public static IServiceCollection AddLibrary(this IServiceCollection services) => services.AddCachingDecorators();
        }
        """;

    private const string Application = """
        using System.Threading.Tasks;
        using Caching;
        using Lib;
        using Microsoft.Extensions.DependencyInjection;

        namespace App;

        public interface IAppService
        {
            [Cached("app:{id}")]
            Task<int> GetAsync(int id);
        }

        public static class Startup
        {
            public static void Configure(IServiceCollection services) => services.AddLibrary().AddCachingDecorators();
        }
        """;

    // Known limit: if the library also grants the application InternalsVisibleTo, both internal extensions are visible
    // to the application and its call is ambiguous (CS0121).
    [Fact]
    public void An_application_and_a_library_each_get_their_own_extension()
    {
        var library = GeneratorHarness.Run(Library).AssertCompilesCleanly();
        using var image = new MemoryStream();
        Assert.True(library.Compilation.WithAssemblyName("Lib").Emit(image).Success);

        var app = GeneratorHarness.CreateCompilation(Application)
            .WithAssemblyName("App")
            .AddReferences(MetadataReference.CreateFromImage(image.ToArray()));
        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(app, out var output, out var generatorDiagnostics);

        Assert.Empty(generatorDiagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }
}
