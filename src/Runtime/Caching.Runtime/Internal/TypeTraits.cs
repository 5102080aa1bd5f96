using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Caching.Internal;

/// <summary>
/// Whether instances of <typeparamref name="T"/> can be handed out from L1 without a copy, for callers that use
/// the runtime directly with <see cref="ValueSharing.Auto"/>. Generated decorators decide this at compile time
/// instead (<c>ValueShape</c>); this is the same rule, computed once per type, and one test holds the two to one
/// catalogue of verdicts (<c>ImmutabilityParityTests</c>).
/// </summary>
internal static class TypeTraits<T>
{
    public static readonly bool IsImmutable = ImmutabilityRules.IsImmutable(typeof(T), []);
}

internal static class ImmutabilityRules
{
    public static bool IsImmutable(Type type, HashSet<Type> visiting)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            type = underlying;
        }

        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime)
            || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(Guid) || type == typeof(DateOnly)
            || type == typeof(TimeOnly) || type == typeof(Uri) || type == typeof(Version) || type == typeof(JsonElement)
            || type == typeof(JsonValue))
        {
            return true;
        }

        if (type.GetCustomAttribute<ImmutableObjectAttribute>() is { Immutable: true })
        {
            return true;
        }

        if (type.IsArray || type.IsInterface || type.IsPointer || type == typeof(object))
        {
            return false;
        }

        if (type.IsGenericType && type.Namespace is "System.Collections.Immutable" or "System.Collections.Frozen")
        {
            return AllArgumentsImmutable(type, visiting);
        }

        // Native AOT keeps field metadata only for the types something asks it for, so the fields below could look
        // absent: without seeing them nothing more is judged immutable (a copy, never a wrongly shared instance).
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            return false;
        }

        if (!visiting.Add(type))
        {
            return true;
        }

        // A struct is copied when it is returned: only what its fields point to can be shared.
        if (type.IsValueType)
        {
            return FieldsImmutable(type, visiting, requireReadOnly: false);
        }

        // Init-only properties compile to readonly backing fields, so "every instance field is readonly and of an
        // immutable type" covers records with init-only members and classes with get-only properties.
        if (type.IsClass && !type.IsSealed && !IsRecord(type))
        {
            return false;
        }

        return FieldsImmutable(type, visiting, requireReadOnly: true);
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = TrimmedFields)]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = TrimmedFields)]
    private static bool FieldsImmutable(Type type, HashSet<Type> visiting, bool requireReadOnly)
    {
        for (var current = type; current is not null && current != typeof(object) && current != typeof(ValueType); current = current.BaseType)
        {
            foreach (var field in current.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if ((requireReadOnly && !field.IsInitOnly) || !IsImmutable(field.FieldType, visiting))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool AllArgumentsImmutable(Type type, HashSet<Type> visiting)
    {
        foreach (var argument in type.GetGenericArguments())
        {
            if (!IsImmutable(argument, visiting))
            {
                return false;
            }
        }

        return true;
    }

    private const string TrimmedFields = "The trimmer removes only fields no code reads or writes, which cannot hold state that changes; a removed clone method makes a record look like a class, which is copied. Native AOT does not get here.";

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = TrimmedFields)]
    private static bool IsRecord(Type type) => type.GetMethod("<Clone>$", BindingFlags.Instance | BindingFlags.Public) is not null;
}
