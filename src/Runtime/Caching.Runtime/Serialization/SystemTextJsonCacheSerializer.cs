using System.Buffers;
using System.Text.Json;

namespace Caching;

/// <summary>The default serializer: System.Text.Json, with a source-generated context when the options carry one.</summary>
/// <param name="options">Serializer options; <see langword="null"/> for the web defaults.</param>
public sealed class SystemTextJsonCacheSerializer(JsonSerializerOptions? options = null) : ICacheSerializer
{
    private readonly JsonSerializerOptions _options = options ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);

    /// <inheritdoc />
    public void Serialize<T>(IBufferWriter<byte> destination, T value)
    {
        using var writer = new Utf8JsonWriter(destination);
        JsonSerializer.Serialize(writer, value, _options);
    }

    /// <inheritdoc />
    public T Deserialize<T>(ReadOnlySpan<byte> source) => JsonSerializer.Deserialize<T>(source, _options)!;
}
