namespace Caching;

/// <summary>Marks a parameter of a <see cref="CachedAttribute"/> method that deliberately does not take part in the key.</summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class NotCacheKeyAttribute : Attribute
{
}
