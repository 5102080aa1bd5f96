using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Caching.Analyzers.Tests.Verifiers;

/// <summary>Runs the source generators of Caching.Generators over a compilation and reports any failure.</summary>
internal static class GeneratorRunner
{
    public static ImmutableArray<ISourceGenerator> All { get; } = Load();

    /// <summary>Generator exceptions and CS8784/CS8785 ("generator failed to initialize / to generate source").</summary>
    public static IEnumerable<string> Failures(Compilation compilation)
    {
        if (All.IsEmpty)
        {
            return [];
        }

        var driver = CSharpGeneratorDriver.Create(All, parseOptions: (CSharpParseOptions)compilation.SyntaxTrees.First().Options)
            .RunGeneratorsAndUpdateCompilation(compilation, out _, out var diagnostics);
        return driver.GetRunResult().Results
            .Where(r => r.Exception is not null)
            .Select(r => r.Exception!.ToString())
            .Concat(diagnostics.Where(d => d.Id is "CS8784" or "CS8785").Select(d => d.ToString()));
    }

    /// <summary>Runs the generators as the compiler does: their diagnostics, and the compilation with their output added.</summary>
    public static ImmutableArray<Diagnostic> Run(Compilation compilation, out Compilation output)
    {
        CSharpGeneratorDriver.Create(All, parseOptions: (CSharpParseOptions)compilation.SyntaxTrees.First().Options)
            .RunGeneratorsAndUpdateCompilation(compilation, out output, out var diagnostics);
        return diagnostics;
    }

    private static ImmutableArray<ISourceGenerator> Load()
    {
        var assembly = Assembly.Load("Caching.Generators");
        var generators = ImmutableArray.CreateBuilder<ISourceGenerator>();
        foreach (var type in assembly.GetTypes().Where(t => !t.IsAbstract && t.GetCustomAttribute<GeneratorAttribute>() is not null))
        {
            switch (Activator.CreateInstance(type))
            {
                case IIncrementalGenerator incremental:
                    generators.Add(incremental.AsSourceGenerator());
                    break;
                case ISourceGenerator generator:
                    generators.Add(generator);
                    break;
            }
        }

        return generators.ToImmutable();
    }
}
