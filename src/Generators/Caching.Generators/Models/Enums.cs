namespace Caching.Generators.Models;

/// <summary>The shape of a method's return type, which decides how the decorator awaits and caches it.</summary>
internal enum ReturnKind
{
    Void,
    Task,
    ValueTask,
    TaskOfT,
    ValueTaskOfT,
    Value,
}

/// <summary>What the decorator does with a member.</summary>
internal enum MemberBehavior
{
    PassThrough,
    Cached,
    Invalidating,

    /// <summary>Dispose/DisposeAsync: the container (or whoever built the inner instance) owns it, so the decorator does nothing.</summary>
    NotOwned,
}

/// <summary>Which <c>CacheKeyBuilder</c> call appends a value, chosen at compile time from the value's type.</summary>
internal enum AppendKind
{
    /// <summary><c>AppendValue(string?)</c>, <c>AppendValue(bool)</c>, <c>AppendValue(DateTime|DateTimeOffset|Guid)</c>.</summary>
    Value,

    /// <summary><c>bool?</c>: no nullable overload exists, so the null token is written explicitly.</summary>
    NullableBool,

    /// <summary><c>AppendFormatted&lt;T&gt;</c> for <c>ISpanFormattable</c> values (numbers, TimeSpan...).</summary>
    Formatted,

    /// <summary><c>AppendNullable&lt;T&gt;</c> for nullable <c>ISpanFormattable</c> structs.</summary>
    Nullable,

    Enum,
    NullableEnum,

    /// <summary><c>AppendSequence&lt;T&gt;</c>: element-wise, in order.</summary>
    Sequence,

    /// <summary><c>AppendObject</c>: the fallback for anything else.</summary>
    Object,
}

/// <summary>One piece of a key, pattern or tag.</summary>
internal enum KeyPartKind
{
    /// <summary>Template text, appended as is.</summary>
    Literal,

    /// <summary>An argument value (or a member of one), escaped.</summary>
    Value,

    /// <summary>The escaped name of a generic method's type argument.</summary>
    TypeArgument,

    /// <summary>The escaped type arguments of a generic interface: the key namespace of the closed decorator.</summary>
    InterfacePrefix,
}

/// <summary>The accessor a property has besides its getter.</summary>
internal enum SetterKind
{
    None,
    Set,
    Init,
}
