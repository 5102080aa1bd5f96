using System.Text.Json.Serialization;

namespace Caching.Benchmarks;

/// <summary>
/// System.Text.Json's source-generated serializer for the benchmark payload, as an application that cares about
/// serialization cost configures the cache (<c>JsonOptions.TypeInfoResolver</c>). Default naming: the 207 bytes the
/// suite's other benchmarks store.
/// </summary>
[JsonSerializable(typeof(Profile))]
internal sealed partial class BenchmarkJsonContext : JsonSerializerContext;
