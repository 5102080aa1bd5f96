namespace Caching;

/// <summary>
/// Makes the private copy an L1 hit of a mutable value hands out (<see cref="ValueSharing.Copy"/>, or
/// <see cref="ValueSharing.Auto"/> for a mutable type) without the serializer. Set it as
/// <see cref="CacheEntryOptions.Copier"/>; the generated decorators emit a member-wise deep copy for the mutable result
/// types they can copy exactly, and leave the rest to the serializer.
/// </summary>
public abstract class CacheValueCopier
{
    private protected CacheValueCopier()
    {
    }
}

/// <summary>A deep copy of <typeparamref name="T"/>: changing what it returns must never change its argument.</summary>
/// <typeparam name="T">The cached value type.</typeparam>
public sealed class CacheValueCopier<T> : CacheValueCopier
{
    private readonly Func<T, T> _copy;

    /// <summary>Creates a copier from a deep-copy function.</summary>
    /// <param name="copy">Returns a copy of its argument that shares no mutable state with it (null for null).</param>
    public CacheValueCopier(Func<T, T> copy)
    {
        ArgumentNullException.ThrowIfNull(copy);
        _copy = copy;
    }

    /// <summary>A copy of <paramref name="value"/>.</summary>
    /// <param name="value">The value to copy.</param>
    public T Copy(T value) => _copy(value);
}
