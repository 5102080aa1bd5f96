using System.Diagnostics;
using System.Text;
using Caching.Testing;

namespace Caching.Package.Tests;

/// <summary>
/// The product as a user gets it: <c>dotnet pack</c> Caching.Runtime (generator and analyzers inside), restore it from
/// a local folder into a fresh project that references nothing else of ours, build it warning-free with nullable on, and
/// run it against a real redis-server. Slow (a pack, a restore and two builds), so it is one test.
/// </summary>
public sealed class PackageConsumerTests : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "caching-package-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _version = "0.1.0-pkgtest." + Guid.NewGuid().ToString("N")[..8];

    private const string ConsumerProject = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
            <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
            <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Caching.Runtime" Version="$(CachingVersion)" />
            <!-- The container itself; an application gets it from its host. -->
            <PackageReference Include="Microsoft.Extensions.DependencyInjection" Version="10.0.12" />
          </ItemGroup>
        </Project>
        """;

    private const string ConsumerProgram = """
        using Caching;
        using Microsoft.Extensions.DependencyInjection;

        var services = new ServiceCollection();
        services.AddMultiLayerCache(new MultiLayerCacheOptions { RedisConnection = args[0], KeyPrefix = args[1] });
        services.AddSingleton<CountingWeather>();
        services.AddScoped<IWeather>(provider => provider.GetRequiredService<CountingWeather>());
        services.AddCachingDecorators();

        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

        // What a host does at startup: AddMultiLayerCache's hosted service connects to Redis before the first request.
        foreach (var hosted in provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        using var scope = provider.CreateScope();
        var weather = scope.ServiceProvider.GetRequiredService<IWeather>();
        var source = provider.GetRequiredService<CountingWeather>();

        var first = await weather.GetAsync("paris");
        var second = await weather.GetAsync("paris");
        await weather.SetAsync("paris", 30);
        var third = await weather.GetAsync("paris");
        Console.WriteLine($"decorator={weather.GetType().Name} loads={source.Loads} values={first},{second},{third}");

        public interface IWeather
        {
            [Cached("weather:{city}", LocalTtl = "1m", RedisTtl = "5m")]
            Task<int> GetAsync(string city, CancellationToken cancellationToken = default);

            [InvalidatesCache("weather:{city}")]
            Task SetAsync(string city, int degrees);
        }

        public sealed class CountingWeather : IWeather
        {
            private readonly Dictionary<string, int> _degrees = new() { ["paris"] = 20 };

            public int Loads { get; private set; }

            public Task<int> GetAsync(string city, CancellationToken cancellationToken = default)
            {
                Loads++;
                return Task.FromResult(_degrees[city]);
            }

            public Task SetAsync(string city, int degrees)
            {
                _degrees[city] = degrees;
                return Task.CompletedTask;
            }
        }
        """;

    [Fact]
    public async Task A_consumer_of_the_package_alone_builds_warning_free_and_caches_against_Redis()
    {
        var feed = Directory.CreateDirectory(Path.Combine(_work, "feed")).FullName;
        var consumer = Directory.CreateDirectory(Path.Combine(_work, "consumer")).FullName;
        var runtimeProject = Path.Combine(RepositoryRoot(), "src", "Runtime", "Caching.Runtime", "Caching.Runtime.csproj");

        Run("dotnet", ["pack", runtimeProject, "-c", "Release", "-o", feed, "-p:PackageVersion=" + _version], RepositoryRoot());
        var package = Path.Combine(feed, "Caching.Runtime." + _version + ".nupkg");
        Assert.True(File.Exists(package), "dotnet pack produced no " + package);
        using (var archive = System.IO.Compression.ZipFile.OpenRead(package))
        {
            var entries = archive.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("analyzers/dotnet/cs/Caching.Generators.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/Caching.Analyzers.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/Caching.Analyzers.CodeFixes.dll", entries);
            Assert.Contains("lib/net10.0/Caching.Runtime.dll", entries);
        }

        // The machine's own sources stay (no <clear/>) for the transitive packages; the feed adds ours.
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="caching-local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), ConsumerProject.Replace("$(CachingVersion)", _version, StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(consumer, "Program.cs"), ConsumerProgram);

        // Program.cs calls AddCachingDecorators and the decorator, so a green build already means the packaged generator ran.
        var build = Run("dotnet", ["build", "Consumer.csproj", "-c", "Release"], consumer);
        Assert.Contains("0 Warning(s)", build, StringComparison.Ordinal);
        var generated = Directory.EnumerateFiles(Path.Combine(consumer, "obj"), "*.g.cs", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        Assert.Contains("WeatherCachingDecorator.g.cs", generated);
        Assert.Contains("CachingDecoratorServiceCollectionExtensions.g.cs", generated);

        await using var redis = new RedisServer();
        var output = Run("dotnet", [Path.Combine(consumer, "bin", "Release", "net10.0", "Consumer.dll"), redis.ConnectionString, "pkg-" + _version], consumer);

        Assert.Contains("decorator=WeatherCachingDecorator loads=2 values=20,20,30", output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);

            // The unique prerelease version keeps every run from restoring a stale package; drop it from the cache.
            var cached = Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"), "caching.runtime", _version);
            if (Directory.Exists(cached))
            {
                Directory.Delete(cached, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }

    private static string RepositoryRoot()
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

    private static string Run(string fileName, string[] arguments, string workingDirectory)
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
}
