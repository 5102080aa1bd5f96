using Caching.Generators.Tests.Infrastructure;

namespace Caching.Generators.Tests;

/// <summary>
/// Interfaces whose readable decorator names used to meet (<c>Widget</c> beside <c>IWidget</c>, a nested interface
/// beside a top-level one with an underscore, containers of different arity) each get their own decorator, file and
/// registration.
/// </summary>
public sealed class NamingTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    /// <summary>Interfaces that would have shared a decorator name, each with one cached method.</summary>
    public static TheoryData<string, string[]> Neighbours => new()
    {
        {
            "Widget beside IWidget",
            ["public interface IWidget { M }", "public interface Widget { M }"]
        },
        {
            "nested beside top-level with an underscore",
            ["public static partial class Outer { public interface IWidget { M } }", "public interface IOuter_Widget { M }", "public interface Outer_Widget { M }"]
        },
        {
            "underscores in different places",
            ["public static partial class A_ { public interface IB { M } }", "public static partial class A { public interface I_B { M } }", "public interface IA__B { M }"]
        },
        {
            "generic container beside generic interface",
            ["public static partial class Outer<T> { public interface IWidget { M } }", "public static partial class Outer { public interface IWidget<T> { M } }", "public static partial class Outer { public interface IWidget { M } }"]
        },
        {
            "one name, three arities",
            ["public interface IWidget { M }", "public interface IWidget<T> { M }", "public interface IWidget<T, U> { M }"]
        },
        {
            "nested two deep beside nested one deep",
            ["public static partial class A { public static partial class B { public interface IC { M } } }", "public static partial class A { public interface IB_C { M } }", "public static partial class A_B { public interface IC { M } }"]
        },
        {
            "names that differ only in letter case",
            ["public interface IWidget { M }", "public interface IWIDGET { M }", "public interface Iwidget { M }"]
        },
    };

    [Theory]
    [MemberData(nameof(Neighbours))]
    public void Each_interface_gets_its_own_decorator_file_and_registration(string shape, string[] interfaces)
    {
        var result = GeneratorHarness.Run(Source(interfaces)).AssertCompilesCleanly();

        var decorators = result.Sources.Keys.Where(k => !k.StartsWith("CachingDecoratorServiceCollectionExtensions", StringComparison.Ordinal)).ToList();
        Assert.True(decorators.Count == interfaces.Length, shape + ": " + string.Join(", ", decorators));
        Assert.Equal(decorators.Count, decorators.Distinct(StringComparer.OrdinalIgnoreCase).Count());

        var registrations = result.Source("CachingDecoratorServiceCollectionExtensions.g.cs");
        var registered = registrations.Split('\n').Count(l => l.Contains("!descriptor.IsKeyedService && IsGenericOf(serviceType", StringComparison.Ordinal) || l.Contains("= Decorate<", StringComparison.Ordinal));
        Assert.Equal(interfaces.Length, registered);
    }

    [Fact]
    public void The_usual_names_stay_readable()
    {
        var result = GeneratorHarness.Run(Source([
            "public interface IWidget { M }",
            "public interface Widget { M }",
            "public static partial class Outer<T> { public interface IWidget { M } }",
            "public interface IUser_Store { M }",
        ])).AssertCompilesCleanly();

        Assert.Equal(
            new[]
            {
                "Shop.Outer_1_WidgetCachingDecorator`1.g.cs",
                "Shop.User_0StoreCachingDecorator.g.cs",
                "Shop.WidgetCachingDecorator.g.cs",
                "Shop.Widget_CachingDecorator.g.cs",
            },
            result.Sources.Keys.Where(k => k.StartsWith("Shop.", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Widget_and_IWidget_are_both_decorated_by_AddCachingDecorators()
    {
        const string source = """
            using System.Threading.Tasks;
            using Caching;
            using Microsoft.Extensions.DependencyInjection;

            namespace Consumer;

            public interface IWidget
            {
                [Cached("iwidget:{id}")]
                Task<string> GetAsync(int id);
            }

            public interface Widget
            {
                [Cached("widget:{id}")]
                Task<string> GetAsync(int id);
            }

            public sealed class Both : IWidget, Widget
            {
                public int Loads;

                Task<string> IWidget.GetAsync(int id) => Task.FromResult("i" + id + "#" + ++Loads);

                Task<string> Widget.GetAsync(int id) => Task.FromResult("w" + id + "#" + ++Loads);
            }

            public static partial class Scenario
            {
                public static async Task<string> RunAsync(IMultiLayerCache cache)
                {
                    var source = new Both();
                    var services = new ServiceCollection();
                    services.AddSingleton(cache);
                    services.AddSingleton<IWidget>(source);
                    services.AddSingleton<Widget>(source);
                    services.AddCachingDecorators();
                    using var provider = services.BuildServiceProvider();
                    var iwidget = provider.GetRequiredService<IWidget>();
                    var widget = provider.GetRequiredService<Widget>();
                    var first = await iwidget.GetAsync(1) + "," + await widget.GetAsync(1);
                    var second = await iwidget.GetAsync(1) + "," + await widget.GetAsync(1);
                    return iwidget.GetType().Name + "|" + widget.GetType().Name + "|" + first + "|" + second + "|" + source.Loads;
                }
            }
            """;
        await using var cache = await Pods.CreateAsync(redis.Server, Pods.UniquePrefix("naming"));
        using var consumer = ConsumerAssembly.Compile(source);

        var result = await consumer.RunScenarioAsync(cache);

        Assert.Equal("WidgetCachingDecorator|Widget_CachingDecorator|i1#1,w1#2|i1#1,w1#2|2", result);
    }

    private static string Source(IEnumerable<string> interfaces)
    {
        var index = 0;
        var members = interfaces.Select(i => i.Replace("{ M }", "{ [Cached(\"k" + index + ":{id}\")] Task<string> Get" + index++ + "Async(int id); }", StringComparison.Ordinal));
        return "using System.Threading.Tasks;\nusing Caching;\n\nnamespace Shop;\n\n" + string.Join("\n\n", members) + "\n";
    }
}
