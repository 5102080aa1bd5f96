using System.Diagnostics;
using System.Text;
using Caching.Analyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace Caching.Analyzers.Tests;

/// <summary>The compilation-wide rules consult one index per compilation: a large service layer stays fast to analyze.</summary>
public class ScaleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Two_thousand_annotated_methods_are_analyzed_in_seconds_with_the_expected_findings()
    {
        const int Interfaces = 200;
        var source = new StringBuilder(Sources.Usings);
        for (var i = 0; i < Interfaces; i++)
        {
            source.AppendLine($$"""
                public interface IService{{i}}
                {
                    [Cached("svc{{i}}:user:{id}:profile", LocalTtl = "1m", RedisTtl = "5m")]
                    Task<UserProfile?> Get{{i}}(string id, CancellationToken ct = default);
                    [Cached("svc{{i}}:users:{status}:{page}")]
                    Task<List<UserProfile>> List{{i}}(UserStatus status, int page);
                    [Cached("svc{{i}}:count")]
                    Task<int> Count{{i}}();
                    [Cached("svc{{i}}:search:{filter.Region}:{filter.Page}")]
                    Task<List<UserProfile>> Search{{i}}(Filter filter);
                    [Cached("svc{{i}}:name:{id}")]
                    Task<string> Name{{i}}(string id);
                    [InvalidatesCache("svc{{i}}:user:{id}:*", "svc{{i}}:users:*", "svc{{i}}:count", "svc{{i}}:name:{id}")]
                    Task Update{{i}}(string id, ProfileUpdate update);
                    [InvalidatesCache("svc{{i}}:search:*")]
                    Task Reindex{{i}}();
                    [InvalidatesCache("SVC{{i}}:gone:*")]
                    Task Dead{{i}}();
                    [Cached("svc{{i}}:items:category:{category}")]
                    Task<List<UserProfile>> Items{{i}}(string category);
                    [InvalidatesCache("svc{{i}}:items:{id}:*")]
                    Task Restock{{i}}(string id);
                    Task<int> Plain{{i}}(int x);
                    Task Other{{i}}(string y);
                }
                """);
        }

        source.Append(Sources.Models);
        var compilation = AnalyzerRunner.Compile(source.ToString());
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var watch = Stopwatch.StartNew();
        var result = await AnalyzerRunner.RunAsync(compilation);
        watch.Stop();
        output.WriteLine($"{Interfaces * 10} annotated methods, {Interfaces * 6} keys, {Interfaces * 7} patterns: {watch.ElapsedMilliseconds} ms, {result.Diagnostics.Length} diagnostics");

        Assert.Empty(result.Failures);

        // Each interface has exactly one dead pattern ("SVC{i}:gone:*"), one case mismatch ("SVC" against "svc") and
        // one pattern that reaches a key only if {id} is "category" ("svc{i}:items:{id}:*").
        var byId = result.Diagnostics.GroupBy(d => d.Id).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Interfaces, byId.GetValueOrDefault("CACHE004"));
        Assert.Equal(Interfaces, byId.GetValueOrDefault("CACHE010"));
        Assert.Equal(Interfaces, byId.GetValueOrDefault("CACHE012"));
        Assert.Equal(3, byId.Count);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"analysis took {watch.Elapsed}");
    }
}
