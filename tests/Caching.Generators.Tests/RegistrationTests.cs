using Caching.Generators.Tests.Fixtures;
using Caching.Generators.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Caching.Generators.Tests;

/// <summary>The generated <c>AddCachingDecorators</c> of this test assembly, on a real container and real caches.</summary>
public sealed class RegistrationTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Theory]
    [InlineData(ServiceLifetime.Singleton)]
    [InlineData(ServiceLifetime.Scoped)]
    [InlineData(ServiceLifetime.Transient)]
    public async Task A_type_registration_is_decorated_and_keeps_its_lifetime(ServiceLifetime lifetime)
    {
        var services = Services();
        services.Add(new ServiceDescriptor(typeof(IProductCatalog), typeof(ProductCatalog), lifetime));
        services.AddCachingDecorators();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

        object first, sameScope, otherScope;
        using (var scope = provider.CreateScope())
        {
            first = scope.ServiceProvider.GetRequiredService<IProductCatalog>();
            sameScope = scope.ServiceProvider.GetRequiredService<IProductCatalog>();
        }

        using (var scope = provider.CreateScope())
        {
            otherScope = scope.ServiceProvider.GetRequiredService<IProductCatalog>();
        }

        Assert.IsType<ProductCatalogCachingDecorator>(first);
        Assert.Equal(lifetime != ServiceLifetime.Transient, ReferenceEquals(first, sameScope));
        Assert.Equal(lifetime == ServiceLifetime.Singleton, ReferenceEquals(first, otherScope));
    }

    [Fact]
    public async Task The_container_still_disposes_the_inner_instance_with_its_scope()
    {
        var services = Services();
        services.AddScoped<IProductCatalog, ProductCatalog>();
        services.AddCachingDecorators();
        await using var provider = services.BuildServiceProvider();

        ProductCatalog inner;
        using (var scope = provider.CreateScope())
        {
            var decorated = scope.ServiceProvider.GetRequiredService<IProductCatalog>();
            inner = (ProductCatalog)Inner(decorated);
            Assert.False(inner.Disposed);
        }

        Assert.True(inner.Disposed);
    }

    [Fact]
    public async Task Instance_and_factory_registrations_are_decorated_around_the_original()
    {
        var instance = new ProductCatalog(Seed());
        var factoryCalls = 0;
        var services = Services();
        services.AddSingleton<IProductCatalog>(instance);
        services.AddTransient<IProductCatalog>(_ =>
        {
            factoryCalls++;
            return new ProductCatalog(Seed());
        });
        services.AddCachingDecorators();
        await using var provider = services.BuildServiceProvider();

        var all = provider.GetServices<IProductCatalog>().ToList();

        Assert.Equal(2, all.Count);
        Assert.All(all, s => Assert.IsType<ProductCatalogCachingDecorator>(s));
        Assert.Same(instance, Inner(all[0]));
        Assert.Equal(1, factoryCalls);
        await all[0].GetAsync(1);
        await all[0].GetAsync(1);
        Assert.Equal(1, instance.Calls("GetAsync"));
    }

    [Fact]
    public async Task Keyed_registrations_are_decorated_under_their_own_key()
    {
        var services = Services();
        services.AddKeyedSingleton<IProductCatalog, ProductCatalog>("eu");
        services.AddKeyedScoped<IProductCatalog>("us", (_, key) => new ProductCatalog(Seed()));
        services.AddCachingDecorators();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        using var scope = provider.CreateScope();

        var eu = scope.ServiceProvider.GetRequiredKeyedService<IProductCatalog>("eu");
        var us = scope.ServiceProvider.GetRequiredKeyedService<IProductCatalog>("us");

        Assert.IsType<ProductCatalogCachingDecorator>(eu);
        Assert.IsType<ProductCatalogCachingDecorator>(us);
        Assert.Same(eu, provider.GetRequiredKeyedService<IProductCatalog>("eu"));
        Assert.Null(provider.GetService<IProductCatalog>());
    }

    [Fact]
    public async Task Calling_it_twice_decorates_once()
    {
        var services = Services();
        services.AddSingleton<IProductCatalog, ProductCatalog>();
        services.AddCachingDecorators();
        var count = services.Count;
        services.AddCachingDecorators();
        await using var provider = services.BuildServiceProvider();

        Assert.Equal(count, services.Count);
        Assert.IsType<ProductCatalog>(Inner(provider.GetRequiredService<IProductCatalog>()));
    }

    [Fact]
    public async Task Open_and_closed_generic_registrations_resolve_to_the_generic_decorator_keyed_by_type()
    {
        var services = Services(redis.Server);
        services.AddSingleton(typeof(IRepository<>), typeof(Repository<>));
        var products = new Repository<Product>();
        services.AddSingleton<IRepository<Product>>(products);
        services.AddCachingDecorators();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

        // As a host's startup does: connect before the first call (the first subscription clears L1).
        Assert.True(await provider.GetRequiredService<MultiLayerCache>().ProbeRedisAsync());
        var productRepository = provider.GetRequiredService<IRepository<Product>>();
        var textRepository = provider.GetRequiredService<IRepository<string>>();
        Assert.IsType<RepositoryCachingDecorator<Product>>(productRepository);
        Assert.IsType<RepositoryCachingDecorator<string>>(textRepository);

        await productRepository.SaveAsync(1, new Product(1, "saw", Category.Tools));
        await textRepository.SaveAsync(1, "one");

        // A load that starts within the reference clock's error bound of the save's invalidation is returned but not
        // stored (the invalidation readme); this test is about keys and registrations, so it reads after that window.
        await Task.Delay(50);
        Assert.Equal("saw", (await productRepository.GetAsync(1))!.Name);
        Assert.Equal("saw", (await productRepository.GetAsync(1))!.Name);
        Assert.Equal("one", await textRepository.GetAsync(1));
        Assert.Equal(1, products.Reads);

        // Same template, same id, different T: two keys, each under its type's name.
        var keys = await RedisKeys(redis.Server);
        Assert.Contains(keys, k => k.EndsWith("Caching.Generators.Tests.Fixtures.Product:repo:1", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.EndsWith("System.String:repo:1", StringComparison.Ordinal));

        await productRepository.SaveAsync(1, new Product(1, "plane", Category.Tools));
        Assert.Equal("plane", (await productRepository.GetAsync(1))!.Name);
        Assert.Equal(2, products.Reads);
        Assert.Equal("one", await textRepository.GetAsync(1));
    }

    private static IServiceCollection Services(Caching.Testing.RedisServer? server = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMultiLayerCache(Pods.Options(server, Pods.UniquePrefix("di")));
        services.AddSingleton(Seed());
        return services;
    }

    private static ProductDb Seed()
    {
        var db = new ProductDb();
        db.Rows[1] = new Product(1, "hammer", Category.Tools);
        return db;
    }

    /// <summary>The decorator's inner instance (a test-only peek at its private field).</summary>
    private static IProductCatalog Inner(IProductCatalog decorated) =>
        (IProductCatalog)typeof(ProductCatalogCachingDecorator).GetField("_inner", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(decorated)!;

    private static async Task<List<string>> RedisKeys(Caching.Testing.RedisServer server)
    {
        await using var connection = await server.ConnectAsync();
        return [.. connection.GetServer(server.Endpoint).Keys(pattern: "*repo*").Select(k => k.ToString())];
    }
}
