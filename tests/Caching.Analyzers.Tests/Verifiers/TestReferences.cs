using System.Collections.Immutable;
using Caching;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Caching.Analyzers.Tests.Verifiers;

/// <summary>
/// References for test compilations, taken from this machine's .NET reference pack so the tests never download one.
/// </summary>
internal static class TestReferences
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> All = new(Load);

    /// <summary>A target framework with no package to resolve: the references come from <see cref="Metadata"/>.</summary>
    public static ReferenceAssemblies ReferenceAssemblies { get; } = new("net10.0");

    /// <summary>The framework reference assemblies plus Caching.Runtime (for the attributes).</summary>
    public static ImmutableArray<MetadataReference> Metadata => All.Value;

    /// <summary>The folder holding the framework's reference assemblies (or, failing that, the running runtime).</summary>
    public static string FrameworkDirectory
    {
        get
        {
            var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            var dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
            var packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
            if (Directory.Exists(packs))
            {
                var major = Environment.Version.Major.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".";
                var best = Directory.GetDirectories(packs)
                    .Where(d => Path.GetFileName(d).StartsWith(major, StringComparison.Ordinal))
                    .OrderByDescending(d => Version.TryParse(Path.GetFileName(d), out var v) ? v : new Version(0, 0))
                    .Select(d => Path.Combine(d, "ref", $"net{Environment.Version.Major}.0"))
                    .FirstOrDefault(Directory.Exists);
                if (best is not null)
                {
                    return best;
                }
            }

            return runtimeDirectory;
        }
    }

    private static ImmutableArray<MetadataReference> Load()
    {
        var builder = ImmutableArray.CreateBuilder<MetadataReference>();
        foreach (var file in Directory.GetFiles(FrameworkDirectory, "*.dll"))
        {
            if (IsManagedAssembly(file))
            {
                builder.Add(MetadataReference.CreateFromFile(file));
            }
        }

        builder.Add(MetadataReference.CreateFromFile(typeof(CachedAttribute).Assembly.Location));
        return builder.ToImmutable();
    }

    private static bool IsManagedAssembly(string path)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
