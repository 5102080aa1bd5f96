using System.Collections.Generic;
using System.Linq;
using Caching.Binding;
using Caching.Generators.Helpers;
using Caching.Generators.Models;
using Caching.Templates;
using Microsoft.CodeAnalysis;

namespace Caching.Generators.Parsing;

/// <summary>
/// Binds a key template, pattern or tag to a method's parameters: every hole becomes a typed, null-safe append of
/// an argument (or a member of one), chosen at compile time so the decorator never formats through reflection.
/// </summary>
internal sealed class TemplateBinder
{
    private readonly IMethodSymbol _method;
    private readonly Compilation _compilation;
    private readonly TypeFacts _facts;
    private readonly INamedTypeSymbol? _spanFormattable;
    private readonly INamedTypeSymbol? _cancellationToken;
    private readonly KeySpace _keySpace;

    public TemplateBinder(IMethodSymbol method, Compilation compilation, TypeFacts facts, INamedTypeSymbol? cancellationToken, KeySpace keySpace)
    {
        _method = method;
        _compilation = compilation;
        _facts = facts;
        _spanFormattable = compilation.GetTypeByMetadataName("System.ISpanFormattable");
        _cancellationToken = cancellationToken;
        _keySpace = keySpace;
    }

    /// <summary>
    /// Parses and binds <paramref name="text"/>. A generic interface's type arguments prefix the result (the closed
    /// decorator's key namespace); a generic method's type arguments follow it as extra segments.
    /// </summary>
    /// <param name="analyzerRule">
    /// On failure, the analyzer rule that reports the same mistake in the same source (CACHE001, CACHE003), or null when
    /// only the generator can see it.
    /// </param>
    public bool TryBind(string? text, bool isPattern, out TemplateModel? model, out string error, out string? analyzerRule)
    {
        model = null;
        analyzerRule = null;
        var template = KeyTemplate.Parse(text, isPattern);
        if (!template.IsValid)
        {
            error = "the template \"" + text + "\" is invalid (" + template.Errors[0].Message + ")";
            analyzerRule = "CACHE003";
            return false;
        }

        var parts = new List<KeyPartModel>();
        var used = new HashSet<string>();
        var hasWildcard = false;
        if (_keySpace == KeySpace.TypeArgumentPrefixed)
        {
            parts.Add(new KeyPartModel(KeyPartKind.InterfacePrefix, string.Empty, AppendKind.Value, null));
        }

        foreach (var part in template.Parts)
        {
            switch (part.Kind)
            {
                case TemplatePartKind.Literal:
                    AddLiteral(parts, part.Text);
                    break;
                case TemplatePartKind.Wildcard:
                    hasWildcard = true;
                    AddLiteral(parts, part.Text);
                    break;
                default:
                    if (!TryBindHole(part, out var value, out var parameterName, out error, out analyzerRule))
                    {
                        return false;
                    }

                    used.Add(parameterName);
                    parts.Add(value!);
                    break;
            }
        }

        foreach (var typeParameter in _method.TypeParameters)
        {
            AddLiteral(parts, ":");
            parts.Add(new KeyPartModel(KeyPartKind.TypeArgument, SymbolText.Identifier(typeParameter.Name), AppendKind.Value, null));
        }

        var parameters = _method.Parameters.Where(p => used.Contains(p.Name)).Select(p => SymbolText.Identifier(p.Name));
        model = new TemplateModel(template.Text, parts.ToEquatableArray(), parameters.ToEquatableArray(), hasWildcard);
        error = string.Empty;
        return true;
    }

    private static void AddLiteral(List<KeyPartModel> parts, string text)
    {
        if (parts.Count > 0 && parts[parts.Count - 1] is { Kind: KeyPartKind.Literal } previous)
        {
            parts[parts.Count - 1] = previous with { Text = previous.Text + text };
            return;
        }

        parts.Add(new KeyPartModel(KeyPartKind.Literal, text, AppendKind.Value, null));
    }

    private bool TryBindHole(TemplatePart hole, out KeyPartModel? value, out string parameterName, out string error, out string? analyzerRule)
    {
        value = null;
        analyzerRule = null;
        var rootName = hole.RootName.TrimStart('@');
        var parameter = _method.Parameters.FirstOrDefault(p => p.Name == rootName);
        parameterName = rootName;
        if (parameter is null)
        {
            error = "the hole {" + hole.Text + "} names no parameter";
            analyzerRule = "CACHE001";
            return false;
        }

        if (_cancellationToken is not null && SymbolEqualityComparer.Default.Equals(parameter.Type, _cancellationToken))
        {
            error = "the hole {" + hole.Text + "} names a CancellationToken, which is never part of a key";
            return false;
        }

        if (SymbolNames.FindAttribute(parameter, TypeNames.NotCacheKeyAttribute) is not null)
        {
            error = "the hole {" + hole.Text + "} names a [NotCacheKey] parameter";
            return false;
        }

        var expression = SymbolText.Identifier(parameter.Name);
        var type = parameter.Type;
        var lifted = false;
        foreach (var memberName in hole.MemberPath)
        {
            // A type parameter not constrained to a struct may be given null (T : IEntity takes a class).
            var nullableReceiver = type.IsReferenceType || IsNullableValue(type) || type is ITypeParameterSymbol { IsValueType: false };
            var receiver = IsNullableValue(type) ? ((INamedTypeSymbol)type).TypeArguments[0] : type;
            var member = MemberPaths.FindReadable(receiver, memberName.TrimStart('@'), _compilation);
            if (member is null)
            {
                error = "the hole {" + hole.Text + "}: " + receiver.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + " has no readable, accessible member '" + memberName + "'";

                // CACHE001 resolves the path through the same MemberPaths, so it reports exactly this hole.
                analyzerRule = "CACHE001";
                return false;
            }

            // A null receiver anywhere on the path appends the null token instead of throwing.
            expression += (nullableReceiver ? "?." : ".") + SymbolText.Identifier(member.Name);
            lifted |= nullableReceiver;
            type = MemberPaths.TypeOf(member);
        }

        var (append, elementType) = ChooseAppend(type, lifted && type.IsValueType && !IsNullableValue(type));
        value = new KeyPartModel(KeyPartKind.Value, expression, append, elementType);
        error = string.Empty;
        return true;
    }

    private (AppendKind Kind, string? ElementType) ChooseAppend(ITypeSymbol type, bool lifted)
    {
        if (IsNullableValue(type))
        {
            return (ChooseNullable(((INamedTypeSymbol)type).TypeArguments[0]), null);
        }

        if (lifted)
        {
            return (ChooseNullable(type), null);
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return (AppendKind.Enum, null);
        }

        if (type.SpecialType is SpecialType.System_String or SpecialType.System_Boolean or SpecialType.System_DateTime || IsSystemStruct(type, "Guid") || IsSystemStruct(type, "DateTimeOffset"))
        {
            return (AppendKind.Value, null);
        }

        if (type is not ITypeParameterSymbol && IsSpanFormattable(type))
        {
            return (AppendKind.Formatted, null);
        }

        if (ValueShape.FindEnumerable(type) is { } element)
        {
            return (AppendKind.Sequence, _facts.Text(element));
        }

        return (AppendKind.Object, null);
    }

    private AppendKind ChooseNullable(ITypeSymbol underlying)
    {
        if (underlying.SpecialType == SpecialType.System_Boolean)
        {
            return AppendKind.NullableBool;
        }

        if (underlying.TypeKind == TypeKind.Enum)
        {
            return AppendKind.NullableEnum;
        }

        return IsSpanFormattable(underlying) ? AppendKind.Nullable : AppendKind.Object;
    }

    private bool IsSpanFormattable(ITypeSymbol type) =>
        _spanFormattable is not null && type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i, _spanFormattable));

    private static bool IsNullableValue(ITypeSymbol type) =>
        type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T };

    private static bool IsSystemStruct(ITypeSymbol type, string name) =>
        type is INamedTypeSymbol { IsValueType: true } named && named.Name == name && SymbolNames.IsIn(named, "System");
}
