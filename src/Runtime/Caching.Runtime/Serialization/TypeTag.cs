using System.Text;

namespace Caching.Internal;

/// <summary>
/// A 32-bit identity of a value type plus schema fingerprint plus the serializer that wrote it, stored in every Redis
/// entry. Built from the namespace-qualified type name without assembly versions, so a version bump alone does not
/// invalidate entries. The default serializer (System.Text.Json) adds nothing, so entries written before serializers
/// were chosen per type keep their tag; any other serializer adds its type's name, so an entry written by one
/// serializer is a miss for a reader that would use another, never a misread.
/// </summary>
internal static class TypeTag
{
    public static uint Compute(Type type, string? schemaTag) => Compute(type, schemaTag, null);

    public static uint Compute(Type type, string? schemaTag, string? serializerIdentity)
    {
        var text = new StringBuilder();
        AppendName(text, type);
        if (!string.IsNullOrEmpty(schemaTag))
        {
            text.Append('|').Append(schemaTag);
        }

        if (!string.IsNullOrEmpty(serializerIdentity))
        {
            text.Append('#').Append(serializerIdentity);
        }

        return Fnv1a(text.ToString());
    }

    /// <summary>A type's name as the tag spells it: namespace-qualified, generic arguments included, no assembly version.</summary>
    public static string NameOf(Type type)
    {
        var text = new StringBuilder();
        AppendName(text, type);
        return text.ToString();
    }

    private static void AppendName(StringBuilder text, Type type)
    {
        if (type.IsArray)
        {
            AppendName(text, type.GetElementType()!);
            text.Append('[').Append(',', type.GetArrayRank() - 1).Append(']');
            return;
        }

        if (type.IsNested && type.DeclaringType is not null && !type.IsGenericParameter)
        {
            AppendName(text, type.DeclaringType);
            text.Append('+');
        }
        else if (type.Namespace is not null)
        {
            text.Append(type.Namespace).Append('.');
        }

        var name = type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        text.Append(tick < 0 ? name : name[..tick]);
        if (type.IsGenericType)
        {
            text.Append('<');
            var arguments = type.GetGenericArguments();
            for (var i = 0; i < arguments.Length; i++)
            {
                if (i > 0)
                {
                    text.Append(',');
                }

                AppendName(text, arguments[i]);
            }

            text.Append('>');
        }
    }

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
