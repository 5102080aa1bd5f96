using Caching.Generators.Tests.Infrastructure;

namespace Caching.Generators.Tests;

/// <summary><c>[Cached]</c>'s resilience settings reach the runtime: emitted into the method's options, and obeyed.</summary>
public sealed class ResilienceAttributeTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const string Source = """
        using System.Threading.Tasks;
        using Caching;

        namespace Consumer;

        public interface IReports
        {
            [Cached("report:{id}", FactoryHardTimeout = "200ms")]
            Task<string> SlowAsync(int id);

            [Cached("summary:{id}", FactorySoftTimeout = "50ms", EagerRefreshThreshold = 0.8, JitterMaxDuration = "30s", DistributedLock = true)]
            Task<string> SummaryAsync(int id);
        }

        public sealed class Reports : IReports
        {
            public int Runs;

            public async Task<string> SlowAsync(int id)
            {
                Runs++;
                await Task.Delay(3000);
                return "report " + id;
            }

            public Task<string> SummaryAsync(int id)
            {
                Runs++;
                return Task.FromResult("summary " + id);
            }
        }

        public static class Scenario
        {
            public static async Task<string> RunAsync(IMultiLayerCache cache)
            {
                var source = new Reports();
                IReports reports = new ReportsCachingDecorator(source, cache);
                string slow;
                try
                {
                    slow = await reports.SlowAsync(1);
                }
                catch (CacheFactoryTimeoutException exception)
                {
                    slow = "timed out after " + (int)exception.Timeout.TotalMilliseconds + " ms";
                }

                var first = await reports.SummaryAsync(2);
                var second = await reports.SummaryAsync(2);
                return slow + "|" + first + "|" + second + "|runs=" + source.Runs;
            }
        }
        """;

    [Fact]
    public void The_settings_are_emitted_into_the_methods_options()
    {
        var generated = string.Join("\n", GeneratorHarness.Run(Source).AssertCompilesCleanly().Sources.Values);

        Assert.Contains("FactoryHardTimeout = global::System.TimeSpan.FromTicks(2000000L), // 200ms", generated, StringComparison.Ordinal);
        Assert.Contains("FactorySoftTimeout = global::System.TimeSpan.FromTicks(500000L), // 50ms", generated, StringComparison.Ordinal);
        Assert.Contains("EagerRefreshThreshold = 0.8d,", generated, StringComparison.Ordinal);
        Assert.Contains("JitterMaxDuration = global::System.TimeSpan.FromTicks(300000000L), // 30s", generated, StringComparison.Ordinal);
        Assert.Contains("DistributedLock = true,", generated, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hard_timeout_on_the_attribute_gives_the_caller_back_after_it_and_the_lock_setting_still_caches()
    {
        await using var cache = await Pods.CreateAsync(redis.Server, Pods.UniquePrefix("resilience"));
        using var consumer = ConsumerAssembly.Compile(Source);

        Assert.Equal("timed out after 200 ms|summary 2|summary 2|runs=2", await consumer.RunScenarioAsync(cache));
    }

    [Theory]
    [InlineData("FactorySoftTimeout = \"soon\"")]
    [InlineData("EagerRefreshThreshold = 1.5")]
    public void A_bad_setting_forwards_the_method_uncached_with_the_analyzer_reporting_it(string setting)
    {
        var source = """
            using System.Threading.Tasks;
            using Caching;

            namespace Consumer;

            public interface IReports
            {
                [Cached("report:{id}", SETTING)]
                Task<string> GetAsync(int id);
            }
            """.Replace("SETTING", setting, StringComparison.Ordinal);

        var result = GeneratorHarness.Run(source);
        var generated = string.Join("\n", result.Sources.Values);
        var said = generated + string.Join("\n", result.GeneratorDiagnostics.Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)));

        // Forwarded to the real method (no cache call), and the reason names the setting.
        Assert.DoesNotContain("GetOrSetAsync", generated, StringComparison.Ordinal);
        Assert.Contains(setting.Split(' ')[0], said, StringComparison.Ordinal);
    }
}
