using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Caching;

/// <summary>The default serializer: System.Text.Json, with a source-generated context when the options carry one.</summary>
/// <param name="options">
/// Serializer options; <see langword="null"/> for the web defaults. In a Native AOT (or reflection-free) application
/// give them a resolver that knows the cached types, such as a <c>JsonSerializerContext</c>:
/// <c>new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = AppJson.Default }</c>. A type it does
/// not know is then returned uncached (and logged), never serialized by reflection.
/// </param>
public sealed class SystemTextJsonCacheSerializer(JsonSerializerOptions? options = null) : ICacheSerializer
{
    private readonly JsonSerializerOptions _options = Prepare(options ?? new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <inheritdoc />
    public void Serialize<T>(IBufferWriter<byte> destination, T value)
    {
        using var writer = new Utf8JsonWriter(destination);
        JsonSerializer.Serialize(writer, value, TypeInfo<T>());
    }

    /// <inheritdoc />
    public T Deserialize<T>(ReadOnlySpan<byte> source) => JsonSerializer.Deserialize(source, TypeInfo<T>())!;

    // What JsonSerializer's reflection overloads do on first use: options without a resolver get the reflection one
    // where reflection is allowed, and are locked, so GetTypeInfo caches what it resolves instead of resolving it on
    // every call. Without reflection (Native AOT) and without a resolver they stay open: each type is then refused
    // (NotSupportedException, a value returned uncached) until the application gives a context.
    private static JsonSerializerOptions Prepare(JsonSerializerOptions options)
    {
        if (options.IsReadOnly)
        {
            return options;
        }

        if (JsonSerializer.IsReflectionEnabledByDefault)
        {
            LockWithReflectionResolver(options);
        }
        else if (options.TypeInfoResolver is not null)
        {
            options.MakeReadOnly();
        }

        return options;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = ReflectionSwitch)]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = ReflectionSwitch)]
    private static void LockWithReflectionResolver(JsonSerializerOptions options) => options.MakeReadOnly(populateMissingResolver: true);

    private const string ReflectionSwitch = "Called only when JsonSerializer.IsReflectionEnabledByDefault, which trimmed and Native AOT applications turn off (JsonSerializerIsReflectionEnabledByDefault=false).";

    // Through the options' resolver, never the reflection-only overloads: with a source-generated context the cache
    // needs no reflection, and the trimmer and the AOT compiler can prove it.
    private JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)_options.GetTypeInfo(typeof(T));
}
