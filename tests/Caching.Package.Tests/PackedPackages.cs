using System.Diagnostics;
using System.Text;

namespace Caching.Package.Tests;

/// <summary>
/// Every package of ours, packed once (<c>dotnet pack</c> with a unique prerelease version) into a local folder feed
/// for the tests of this collection: a pack builds the project, so doing it per test would double a slow suite.
/// </summary>
public sealed class PackedPackages : IDisposable
{
    public static readonly string[] Ids = ["Caching.Runtime", "Caching.AspNetCore", "Caching.OpenTelemetry", "Caching.Serialization.MemoryPack"];

    private readonly string _work = Path.Combine(Path.GetTempPath(), "caching-package-" + Guid.NewGuid().ToString("N")[..8]);

    public PackedPackages()
    {
        Version = "0.1.0-pkgtest." + Guid.NewGuid().ToString("N")[..8];
        Feed = Directory.CreateDirectory(Path.Combine(_work, "feed")).FullName;
        foreach (var id in Ids)
        {
            var project = Path.Combine(RepositoryRoot, "src", "Runtime", id, id + ".csproj");
            Run("dotnet", ["pack", project, "-c", "Release", "-o", Feed, "-p:PackageVersion=" + Version], RepositoryRoot);
        }
    }

    public string Version { get; }

    public string Feed { get; }

    /// <summary>A folder for a test's own files, deleted with the feed.</summary>
    public string Work => _work;

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public string PackagePath(string id)
    {
        var path = Path.Combine(Feed, id + "." + Version + ".nupkg");
        Assert.True(File.Exists(path), "dotnet pack produced no " + path);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);

            // The unique prerelease version keeps every run from restoring a stale package; drop it from the cache.
            var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            foreach (var id in Ids)
            {
                var cached = Path.Combine(packages, id.ToLowerInvariant(), Version);
                if (Directory.Exists(cached))
                {
                    Directory.Delete(cached, recursive: true);
                }
            }
        }
        catch (IOException)
        {
        }
    }

    public static string Run(string fileName, string[] arguments, string workingDirectory)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // A nested build must not inherit the test host's MSBuild settings.
        info.Environment.Remove("MSBuildExtensionsPath");
        info.Environment.Remove("MSBUILD_EXE_PATH");
        info.Environment.Remove("MSBuildSDKsPath");
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(8)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{fileName} {string.Join(' ', arguments)} timed out:\n{output}");
        }

        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{output}");
        return output.ToString();
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Caching.Generators.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Caching.Generators.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>The tests that share one <see cref="PackedPackages"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PackagesCollection : ICollectionFixture<PackedPackages>
{
    public const string Name = "Packed packages";
}
