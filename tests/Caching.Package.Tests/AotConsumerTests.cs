using Caching.Testing;

namespace Caching.Package.Tests;

/// <summary>
/// Issue 12, trimming and Native AOT: <c>samples/AotConsumer</c> (generated decorators, a mutable result with its
/// generated copy, System.Text.Json through a source-generated context) published with <c>PublishAot=true</c> and every
/// trim and AOT warning an error, then run as a native binary: L1 alone, and two pods over a real redis-server, the
/// second reading what the first stored. Slow (one native compile, about a minute), so it is one test.
/// </summary>
[Collection(PackagesCollection.Name)]
public sealed class AotConsumerTests
{
    [Fact]
    public async Task The_sample_publishes_with_native_AOT_without_a_warning_and_its_cached_calls_run()
    {
        var project = Path.Combine(PackedPackages.RepositoryRoot, "samples", "AotConsumer");
        var output = Path.Combine(Path.GetTempPath(), "aot-consumer-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            string[] publish = ["publish", "AotConsumer.csproj", "-c", "Release", "-r", "linux-x64", "-o", output, "-p:CppCompilerAndLinker=" + NativeToolchain()];
            var log = PackedPackages.Run("dotnet", publish, project);
            Assert.DoesNotContain("warning", log, StringComparison.OrdinalIgnoreCase);
            var binary = Path.Combine(output, "AotConsumer");
            Assert.True(File.Exists(binary), "no native binary at " + binary + ":\n" + log);
            Assert.False(File.Exists(Path.Combine(output, "AotConsumer.dll")), "the publish left managed code to JIT");

            var alone = PackedPackages.Run(binary, [], output);
            Assert.Contains("pod A: price loads=3 other=3 first=1 second=1 third=2; basket loads=1 items=a", alone, StringComparison.Ordinal);

            await using var redis = new RedisServer();
            var pods = PackedPackages.Run(binary, ["--redis", redis.ConnectionString], output);
            Assert.Contains("| pod B: price loads=0 amount=3; basket loads=0 items=a", pods, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    // The AOT compiler links with clang; Debian's package names it with its version.
    private static string NativeToolchain()
    {
        foreach (var name in new[] { "clang", "clang-19", "clang-16", "clang-15", "clang-14" })
        {
            foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
            {
                if (File.Exists(Path.Combine(directory, name)))
                {
                    return name;
                }
            }
        }

        Assert.Fail("Native AOT needs clang on PATH (apt-get install clang); build.sh test installs it when missing.");
        return string.Empty;
    }
}
