using System.Globalization;
using System.Linq;
using Caching.Generators.Helpers;
using Caching.Generators.Models;

namespace Caching.Generators.Emit;

/// <summary>
/// Writes <c>AddCachingDecorators</c>: one internal class per assembly (so two assemblies of an app never clash) that
/// rewrites the service collection with a plain loop over its descriptors. No assembly scanning, no reflection.
/// </summary>
internal static class RegistrationEmitter
{
    private const string Descriptor = "global::Microsoft.Extensions.DependencyInjection.ServiceDescriptor";
    private const string Collection = "global::Microsoft.Extensions.DependencyInjection.IServiceCollection";
    private const string Lifetime = "global::Microsoft.Extensions.DependencyInjection.ServiceLifetime";
    private const string Provider = "global::System.IServiceProvider";
    private const string Dependencies = "global::Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions";
    private const string HostedService = "global::Microsoft.Extensions.Hosting.IHostedService";
    private const string KeyedDependencies = "global::Microsoft.Extensions.DependencyInjection.ServiceProviderKeyedServiceExtensions";

    public static string Emit(EquatableArray<RegistrationModel> registrations)
    {
        var w = new IndentedWriter();
        w.Line(CodeText.Header.TrimEnd('\n'));
        w.Line();
        w.Open("namespace Microsoft.Extensions.DependencyInjection");
        w.Line("/// <summary>Registers the caching decorators generated for this assembly's annotated interfaces.</summary>");
        w.Line(CodeText.GeneratedCodeAttribute);
        w.Open("internal static class CachingDecoratorServiceCollectionExtensions");
        w.Line("/// <summary>");
        w.Line("/// Wraps every registration of this assembly's annotated interfaces in its generated caching decorator, keeping");
        w.Line("/// the registration's lifetime and service key (instances, factories, types and keyed services alike). Call it after");
        w.Line("/// those services are registered; the decorators use the <see cref=\"global::Caching.IMultiLayerCache\"/> that");
        w.Line("/// AddMultiLayerCache registers. Calling it again does nothing.");
        w.Line("/// </summary>");
        w.Line("/// <param name=\"services\">The service collection.</param>");
        w.Line("/// <returns>The same collection.</returns>");
        w.Open("public static " + Collection + " AddCachingDecorators(this " + Collection + " services)");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(services);");
        w.Open("for (int i = 0; i < services.Count; i++)");
        w.Open("if (services[i].ServiceType == typeof(AlreadyDecorated))");
        w.Line("return services;");
        w.Close();
        w.Close();
        w.Line();
        w.Line("services.Add(" + Descriptor + ".Singleton(new AlreadyDecorated()));");
        var profiles = registrations.SelectMany(r => r.Profiles).Distinct().ToList();
        if (profiles.Count > 0)
        {
            w.Line();
            w.Line("// A profile missing from configuration stops the cache at startup, naming the method, not each call at run time.");
        }

        foreach (var use in profiles)
        {
            w.Line("global::Microsoft.Extensions.DependencyInjection.CacheServiceCollectionExtensions.AddRequiredCacheProfile(services, " + CodeText.Literal(use.Profile) + ", " + CodeText.Literal(use.UsedBy) + ");");
        }

        var shapes = registrations.SelectMany(r => r.IndexedPatterns).Distinct().ToList();
        if (shapes.Count > 0)
        {
            w.Line();
            w.Line("// The [InvalidatesCache] patterns that are not key prefixes: indexed, each invalidation is one mark, not a SCAN of Redis.");
            w.Line("global::Microsoft.Extensions.DependencyInjection.CacheServiceCollectionExtensions.AddIndexedCachePatterns(services, " + string.Join(", ", shapes.Select(CodeText.Literal)) + ");");
        }

        var methods = registrations.SelectMany(r => r.Methods).Distinct().ToList();
        if (methods.Count > 0)
        {
            w.Line();
            w.Line("// The names Cache:Methods:{name} can use, so that an entry matching none (a typo in a kill switch) is reported.");
            w.Line("global::Microsoft.Extensions.DependencyInjection.CacheServiceCollectionExtensions.AddCachedMethods(services, " + string.Join(", ", methods.Select(CodeText.Literal)) + ");");
        }

        for (var g = 0; g < registrations.Count; g++)
        {
            if (registrations[g].IsGeneric)
            {
                w.Line("bool found" + g.ToString(CultureInfo.InvariantCulture) + " = false;");
            }
        }

        w.Line();
        w.Line("// Descriptors are replaced in place, so the order of IEnumerable<T> resolutions is kept; the inner registrations");
        w.Line("// added at the end are not visited.");
        w.Line("int count = services.Count;");
        w.Open("for (int i = 0; i < count; i++)");
        w.Line(Descriptor + " descriptor = services[i];");
        w.Line("global::System.Type serviceType = descriptor.ServiceType;");
        for (var g = 0; g < registrations.Count; g++)
        {
            var registration = registrations[g];
            var keyword = g == 0 ? "if" : "else if";
            if (registration.IsGeneric)
            {
                w.Open(keyword + " (!descriptor.IsKeyedService && IsGenericOf(serviceType, typeof(" + registration.UnboundInterfaceName + ")))");
                w.Line("services[i] = WithKey(descriptor, " + CodeText.Literal(registration.InnerServiceKey) + ");");
                w.Line("found" + g.ToString(CultureInfo.InvariantCulture) + " = true;");
            }
            else
            {
                w.Open(keyword + " (serviceType == typeof(" + registration.InterfaceName + "))");
                w.Line("services[i] = Decorate<" + registration.InterfaceName + ">(services, descriptor, static (inner, cache) => new " + registration.DecoratorName + "(inner, cache));");
            }

            w.Close();
        }

        w.Close();
        for (var g = 0; g < registrations.Count; g++)
        {
            var registration = registrations[g];
            if (!registration.IsGeneric)
            {
                continue;
            }

            w.Line();
            w.Open("if (found" + g.ToString(CultureInfo.InvariantCulture) + ")");
            w.Line("// Building a closed generic decorator here would take reflection, so the container builds it from this open");
            w.Line("// registration. Its constructor asks for the original under InnerServiceKey. Transient: it holds no state, and");
            w.Line("// the inner registration keeps its own lifetime.");
            w.Line("services.Add(new " + Descriptor + "(typeof(" + registration.UnboundInterfaceName + "), typeof(" + registration.UnboundDecoratorName + "), " + Lifetime + ".Transient));");
            w.Close();
        }

        w.Line();
        w.Line("// A registration added after this call would silently stay undecorated: the host refuses to start instead.");
        w.Line("global::System.Collections.Generic.HashSet<" + Descriptor + "> decorated = new global::System.Collections.Generic.HashSet<" + Descriptor + ">();");
        w.Open("for (int i = 0; i < services.Count; i++)");
        w.Open("if (IsAnnotated(services[i].ServiceType))");
        w.Line("decorated.Add(services[i]);");
        w.Close();
        w.Close();
        w.Line();
        w.Line("services.Add(" + Descriptor + ".Singleton<" + HostedService + ">(new RegistrationOrderCheck(services, decorated)));");
        w.Line("return services;");
        w.Close();
        WriteOrderCheck(w, registrations);
        WriteHelpers(w);
        w.Close();
        w.Close();
        return w.ToString();
    }

    private static void WriteOrderCheck(IndentedWriter w, EquatableArray<RegistrationModel> registrations)
    {
        w.Line();
        w.Open("private static bool IsAnnotated(global::System.Type serviceType)");
        var tests = registrations.Select(r => r.IsGeneric
            ? "IsGenericOf(serviceType, typeof(" + r.UnboundInterfaceName + "))"
            : "serviceType == typeof(" + r.InterfaceName + ")").ToList();
        w.Line("return " + tests[0] + (tests.Count == 1 ? ";" : string.Empty));
        w.Indent();
        for (var i = 1; i < tests.Count; i++)
        {
            w.Line("|| " + tests[i] + (i == tests.Count - 1 ? ";" : string.Empty));
        }

        w.Dedent();
        w.Close();
        w.Line();
        w.Line("/// <summary>Fails the host's start when an annotated interface was registered after AddCachingDecorators ran.</summary>");
        w.Open("private sealed class RegistrationOrderCheck : " + HostedService);
        w.Line("private readonly " + Collection + " _services;");
        w.Line("private readonly global::System.Collections.Generic.HashSet<" + Descriptor + "> _decorated;");
        w.Line();
        w.Open("public RegistrationOrderCheck(" + Collection + " services, global::System.Collections.Generic.HashSet<" + Descriptor + "> decorated)");
        w.Line("_services = services;");
        w.Line("_decorated = decorated;");
        w.Close();
        w.Line();
        w.Open("public global::System.Threading.Tasks.Task StartAsync(global::System.Threading.CancellationToken cancellationToken)");
        w.Open("foreach (" + Descriptor + " descriptor in _services)");
        w.Open("if (IsAnnotated(descriptor.ServiceType) && !_decorated.Contains(descriptor))");
        w.Line("throw new global::System.InvalidOperationException(descriptor.ServiceType.ToString() + \" was registered after services.AddCachingDecorators() ran, so its calls would not be cached. Call AddCachingDecorators() after registering the services it decorates.\");");
        w.Close();
        w.Close();
        w.Line();
        w.Line("return global::System.Threading.Tasks.Task.CompletedTask;");
        w.Close();
        w.Line();
        w.Line("public global::System.Threading.Tasks.Task StopAsync(global::System.Threading.CancellationToken cancellationToken) => global::System.Threading.Tasks.Task.CompletedTask;");
        w.Close();
    }

    private static void WriteHelpers(IndentedWriter w)
    {
        w.Line();
        w.Line("// The original registration stays, under a key of its own, so the container still creates, scopes and disposes");
        w.Line("// the inner instance as before; the decorator, registered with the same lifetime and key, only wraps it.");
        w.Line("private static " + Descriptor + " Decorate<TService>(" + Collection + " services, " + Descriptor + " original, global::System.Func<TService, global::Caching.IMultiLayerCache, TService> create)");
        w.Indent().Line("where TService : class").Dedent();
        w.Open();
        w.Line("object innerKey = new InnerServiceKey(original.ServiceKey);");
        w.Line("services.Add(WithKey(original, innerKey));");
        w.Open("if (original.IsKeyedService)");
        w.Line("return new " + Descriptor + "(");
        w.Indent();
        w.Line("typeof(TService),");
        w.Line("original.ServiceKey,");
        w.Line("(provider, _) => create(" + KeyedDependencies + ".GetRequiredKeyedService<TService>(provider, innerKey), " + Dependencies + ".GetRequiredService<global::Caching.IMultiLayerCache>(provider)),");
        w.Line("original.Lifetime);");
        w.Dedent();
        w.Close();
        w.Line();
        w.Line("return new " + Descriptor + "(");
        w.Indent();
        w.Line("typeof(TService),");
        w.Line("provider => create(" + KeyedDependencies + ".GetRequiredKeyedService<TService>(provider, innerKey), " + Dependencies + ".GetRequiredService<global::Caching.IMultiLayerCache>(provider)),");
        w.Line("original.Lifetime);");
        w.Dedent();
        w.Close();

        w.Line();
        w.Open("private static " + Descriptor + " WithKey(" + Descriptor + " original, object key)");
        w.Open("if (original.IsKeyedService)");
        w.Line("object? originalKey = original.ServiceKey;");
        w.Open("if (original.KeyedImplementationInstance is { } keyedInstance)");
        w.Line("return new " + Descriptor + "(original.ServiceType, key, keyedInstance);");
        w.Close();
        w.Line();
        w.Open("if (original.KeyedImplementationFactory is { } keyedFactory)");
        w.Line("return new " + Descriptor + "(original.ServiceType, key, (provider, _) => keyedFactory(provider, originalKey), original.Lifetime);");
        w.Close();
        w.Line();
        w.Line("return new " + Descriptor + "(original.ServiceType, key, original.KeyedImplementationType!, original.Lifetime);");
        w.Close();
        w.Line();
        w.Open("if (original.ImplementationInstance is { } instance)");
        w.Line("return new " + Descriptor + "(original.ServiceType, key, instance);");
        w.Close();
        w.Line();
        w.Open("if (original.ImplementationFactory is { } factory)");
        w.Line("return new " + Descriptor + "(original.ServiceType, key, (provider, _) => factory(provider), original.Lifetime);");
        w.Close();
        w.Line();
        w.Line("return new " + Descriptor + "(original.ServiceType, key, original.ImplementationType!, original.Lifetime);");
        w.Close();

        w.Line();
        w.Line("private static bool IsGenericOf(global::System.Type type, global::System.Type definition) =>");
        w.Indent().Line("type.IsGenericType && type.GetGenericTypeDefinition() == definition;").Dedent();

        w.Line();
        w.Line("/// <summary>Marks a collection that was decorated already.</summary>");
        w.Open("private sealed class AlreadyDecorated");
        w.Close();
        w.Line();
        w.Line("/// <summary>A key only this class holds, so the moved registration cannot be resolved by accident.</summary>");
        w.Open("private sealed class InnerServiceKey");
        w.Line("private readonly object? _serviceKey;");
        w.Line();
        w.Line("public InnerServiceKey(object? serviceKey) => _serviceKey = serviceKey;");
        w.Line();
        w.Line("public override string ToString() => \"caching-inner:\" + _serviceKey;");
        w.Close();
    }
}
