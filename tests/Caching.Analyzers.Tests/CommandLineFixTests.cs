using System.Diagnostics;
using Caching;
using Caching.Analyzers.CodeFixes;
using Caching.Analyzers.Rules;
using Xunit.Abstractions;

namespace Caching.Analyzers.Tests;

/// <summary>
/// The code fixes also run outside the IDE: <c>dotnet format analyzers --diagnostics CACHE002</c> on a consumer
/// project that references the built analyzer and code-fix assemblies rewrites the code as the IDE's first fix does.
/// </summary>
public sealed class CommandLineFixTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("caching-format-").FullName;

    private const string Source = """
        using Caching;

        namespace Consumer;

        public sealed record UserProfile(string Id, string Name);

        public interface IUserService
        {
            [Cached("user:{userId}:profile")]
            Task<UserProfile?> GetProfileAsync(string userId, bool includeDeleted, int page, CancellationToken ct = default);

            [Cached("team:{teamId}")]
            Task<UserProfile?> GetTeamAsync(string teamId, [NotCacheKey] string? traceId = null);

            [Cached("User:{userId}:settings")]
            Task<string> GetSettingsAsync(string userId);

            [InvalidatesCache("user:{userId}:*")]
            Task UpdateAsync(string userId, UserProfile profile);
        }
        """;

    private const string Expected = """
        using Caching;

        namespace Consumer;

        public sealed record UserProfile(string Id, string Name);

        public interface IUserService
        {
            [Cached("user:{userId}:profile:{includeDeleted}:{page}")]
            Task<UserProfile?> GetProfileAsync(string userId, bool includeDeleted, int page, CancellationToken ct = default);

            [Cached("team:{teamId}")]
            Task<UserProfile?> GetTeamAsync(string teamId, [NotCacheKey] string? traceId = null);

            [Cached("User:{userId}:settings")]
            Task<string> GetSettingsAsync(string userId);

            [InvalidatesCache("user:{userId}:*")]
            Task UpdateAsync(string userId, UserProfile profile);
        }
        """;

    [Fact]
    public async Task Dotnet_format_applies_the_CACHE002_fix_to_a_consumer_project()
    {
        var runtime = typeof(CachedAttribute).Assembly.Location;
        var analyzers = typeof(ParameterNotInKeyAnalyzer).Assembly.Location;
        var fixes = typeof(ParameterNotInKeyFixer).Assembly.Location;
        File.WriteAllText(Path.Combine(_directory, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net{Environment.Version.Major}.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <Reference Include="Caching.Runtime" HintPath="{runtime}" />
                <Analyzer Include="{analyzers}" />
                <Analyzer Include="{fixes}" />
              </ItemGroup>
            </Project>
            """);
        var file = Path.Combine(_directory, "IUserService.cs");
        File.WriteAllText(file, Source);

        var (exitCode, log) = await RunAsync("format", "analyzers", "Consumer.csproj", "--diagnostics", "CACHE002", "--severity", "warn", "--verbosity", "normal");
        output.WriteLine(log);

        Assert.Equal(0, exitCode);
        Assert.Equal(Expected.ReplaceLineEndings(), File.ReadAllText(file).ReplaceLineEndings());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file for a moment; the folder is in the temp directory.
        }
    }

    private async Task<(int ExitCode, string Log)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host runs under MSBuild-related variables of the outer `dotnet test`; the child must not inherit them.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
