using Caching.Testing;

namespace Caching.Package.Tests;

/// <summary>
/// The product as a user gets it: <c>dotnet pack</c> Caching.Runtime (generator and analyzers inside), restore it from
/// a local folder into a fresh project that references nothing else of ours, build it warning-free with nullable on, and
/// run it against a real redis-server. Slow (a pack, a restore and two builds), so it is one test.
/// </summary>
[Collection(PackagesCollection.Name)]
public sealed class PackageConsumerTests(PackedPackages packages)
{

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
        var feed = packages.Feed;
        var consumer = Directory.CreateDirectory(Path.Combine(packages.Work, "consumer")).FullName;
        var package = packages.PackagePath("Caching.Runtime");
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
        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), ConsumerProject.Replace("$(CachingVersion)", packages.Version, StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(consumer, "Program.cs"), ConsumerProgram);

        // Program.cs calls AddCachingDecorators and the decorator, so a green build already means the packaged generator ran.
        var build = PackedPackages.Run("dotnet", ["build", "Consumer.csproj", "-c", "Release"], consumer);
        Assert.Contains("0 Warning(s)", build, StringComparison.Ordinal);
        var generated = Directory.EnumerateFiles(Path.Combine(consumer, "obj"), "*.g.cs", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        Assert.Contains("WeatherCachingDecorator.g.cs", generated);
        Assert.Contains("CachingDecoratorServiceCollectionExtensions.g.cs", generated);

        await using var redis = new RedisServer();
        var output = PackedPackages.Run("dotnet", [Path.Combine(consumer, "bin", "Release", "net10.0", "Consumer.dll"), redis.ConnectionString, "pkg-" + packages.Version], consumer);

        Assert.Contains("decorator=WeatherCachingDecorator loads=2 values=20,20,30", output, StringComparison.Ordinal);
    }
}
