namespace Caching.Benchmarks;

/// <summary>Sanity checks run in each benchmark's setup: a contestant that misses or shares when it should copy fails the run.</summary>
internal static class Check
{
    public static void Same<T>(T expected, T? actual, string who)
        where T : class
    {
        if (!ReferenceEquals(expected, actual))
        {
            throw new InvalidOperationException($"{who}: expected the cached instance, got {(actual is null ? "null" : "another instance")}.");
        }
    }

    public static void Copy(MutableProfile original, MutableProfile? actual, string who)
    {
        if (actual is null || ReferenceEquals(original, actual) || actual.Bio != original.Bio || actual.CreatedUtc != original.CreatedUtc)
        {
            throw new InvalidOperationException($"{who}: expected an equal copy, got {(actual is null ? "null" : ReferenceEquals(original, actual) ? "the shared instance" : "different contents")}.");
        }
    }

    public static void Equal(Profile expected, Profile? actual, string who)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"{who}: expected {expected}, got {(actual is null ? "null" : actual.ToString())}.");
        }
    }
}
