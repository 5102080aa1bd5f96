using System.Reflection;
using Microsoft.Extensions.Caching.Hybrid;

namespace Caching.Internal;

/// <summary>
/// The serializer <typeparamref name="T"/> names with <see cref="CacheSerializerAttribute"/>, looked up once per type
/// (a static of the closed generic), so a cache with nothing registered per type still pays no dictionary lookup
/// for the many types that declare none.
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
internal static class DeclaredSerializer<T>
{
    private static readonly IHybridCacheSerializer<T>? Declared;
    private static readonly string? Error;

    static DeclaredSerializer()
    {
        if (typeof(T).GetCustomAttribute<CacheSerializerAttribute>(inherit: false) is not { } attribute)
        {
            return;
        }

        var serializerType = attribute.SerializerType;
        if (!typeof(IHybridCacheSerializer<T>).IsAssignableFrom(serializerType))
        {
            Error = "[CacheSerializer(typeof(" + serializerType + "))] on " + typeof(T) + ": the serializer does not implement IHybridCacheSerializer<" + typeof(T) + ">.";
        }
        else if (serializerType.IsAbstract || serializerType.GetConstructor(Type.EmptyTypes) is null)
        {
            Error = "[CacheSerializer(typeof(" + serializerType + "))] on " + typeof(T) + ": the serializer needs a public parameterless constructor.";
        }
        else
        {
            Declared = (IHybridCacheSerializer<T>)Activator.CreateInstance(serializerType)!;
        }
    }

    /// <summary>Whether <typeparamref name="T"/> carries the attribute (a valid one or not).</summary>
    public static bool IsDeclared => Declared is not null || Error is not null;

    /// <summary>The declared serializer; throws <see cref="CacheConfigurationException"/> for an attribute that cannot work.</summary>
    public static IHybridCacheSerializer<T> Get() => Declared ?? throw new CacheConfigurationException(Error ?? typeof(T) + " declares no serializer.");
}
