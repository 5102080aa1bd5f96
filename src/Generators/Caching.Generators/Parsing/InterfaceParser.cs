using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Caching.Binding;
using Caching.Generators.Diagnostics;
using Caching.Generators.Helpers;
using Caching.Generators.Models;
using Caching.Templates;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Caching.Generators.Parsing;

/// <summary>
/// The only code that reads symbols: it turns an annotated interface into an <see cref="InterfaceModel"/> made of
/// strings, enums and equatable arrays, so nothing that pins a compilation travels down the pipeline.
/// </summary>
internal static class InterfaceParser
{
    private static readonly char[] LineBreaks = { '\r', '\n' };

    private static readonly SymbolDisplayFormat MessageFormat = SymbolDisplayFormat.CSharpShortErrorMessageFormat;

    /// <summary>
    /// Parses the interface that declares an annotated method. Only the interface's first annotated method
    /// produces the model, so an interface with many annotated methods is parsed once per pass, not once per method.
    /// </summary>
    public static InterfaceModel? FromAnnotatedMethod(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not IMethodSymbol method || method.ContainingType is not { TypeKind: TypeKind.Interface } type)
        {
            return null;
        }

        var first = type.GetMembers().OfType<IMethodSymbol>().FirstOrDefault(IsAnnotated);
        return SymbolEqualityComparer.Default.Equals(first, method) ? Parse(type, context.SemanticModel.Compilation, cancellationToken) : null;
    }

    public static bool IsInterfaceMethod(SyntaxNode node, CancellationToken cancellationToken) =>
        node is MethodDeclarationSyntax { Parent: InterfaceDeclarationSyntax };

    public static bool IsDerivedInterface(SyntaxNode node, CancellationToken cancellationToken) =>
        node is InterfaceDeclarationSyntax { BaseList.Types.Count: > 0 };

    /// <summary>
    /// Parses an interface that declares no annotated method of its own but inherits some (<c>IUserStore : IStore&lt;User&gt;</c>):
    /// a registration of it must be decorated too.
    /// </summary>
    public static InterfaceModel? FromDerivedInterface(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.SemanticModel.GetDeclaredSymbol(context.Node, cancellationToken) is not INamedTypeSymbol type
            || type.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) != context.Node
            || type.GetMembers().OfType<IMethodSymbol>().Any(IsAnnotated)
            || !type.AllInterfaces.Any(i => i.GetMembers().OfType<IMethodSymbol>().Any(IsAnnotated)))
        {
            return null;
        }

        return Parse(type, context.SemanticModel.Compilation, cancellationToken);
    }

    private static bool IsAnnotated(IMethodSymbol method) =>
        method.GetAttributes().Any(a => SymbolNames.Is(a.AttributeClass, TypeNames.CachedAttribute) || SymbolNames.Is(a.AttributeClass, TypeNames.InvalidatesCacheAttribute));

    private static InterfaceModel Parse(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var fullName = SymbolText.Type(type);
        var ns = type.ContainingNamespace is { IsGlobalNamespace: false } containing ? containing.ToDisplayString() : null;
        var containers = new List<INamedTypeSymbol>();
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            containers.Insert(0, outer);
        }

        var decoratorName = DecoratorNames.Simple(type, containers);
        var typeParameters = SymbolText.TypeParameters(containers.Append(type).SelectMany(t => t.TypeParameters));
        var hintName = DecoratorNames.Hint(ns, decoratorName, typeParameters.Count);

        if (CannotImplement(type, containers) is { } problem)
        {
            diagnostics.Add(new DiagnosticInfo(
                GeneratorDiagnostics.InterfaceNotDecorated,
                LocationInfo.From(type.Locations.FirstOrDefault()),
                new[] { type.ToDisplayString(MessageFormat), problem }.ToEquatableArray()));
            return new InterfaceModel(ns, fullName, SymbolText.Unbound(type), decoratorName, hintName, typeParameters, default, default, default, false, diagnostics.ToEquatableArray());
        }

        var cancellationTokenType = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        var facts = TypeFacts.Of(compilation);
        var methods = new List<(IMethodSymbol Method, INamedTypeSymbol Declaring)>();
        var properties = new List<PropertyModel>();
        var events = new List<EventModel>();
        foreach (var declaring in new[] { type }.Concat(type.AllInterfaces))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var declaringName = facts.Text(declaring);
            foreach (var member in declaring.GetMembers())
            {
                // Static members, sealed (non-virtual) ones and private helpers of default implementations are not
                // implemented by a class; everything else is, inherited interfaces included.
                if (member.IsStatic || !(member.IsAbstract || member.IsVirtual) || member.DeclaredAccessibility != Accessibility.Public)
                {
                    continue;
                }

                switch (member)
                {
                    case IMethodSymbol { MethodKind: MethodKind.Ordinary } method:
                        methods.Add((method, declaring));
                        break;
                    case IPropertySymbol property:
                        properties.Add(new PropertyModel(
                            property.IsIndexer ? "this" : SymbolText.Identifier(property.Name),
                            declaringName,
                            facts.Text(property.Type),
                            property.ReturnsByRefReadonly ? "ref readonly " : property.ReturnsByRef ? "ref " : string.Empty,
                            SymbolText.Parameters(property.Parameters, cancellationTokenType, facts),
                            property.GetMethod is not null,
                            property.SetMethod is null ? SetterKind.None : property.SetMethod.IsInitOnly ? SetterKind.Init : SetterKind.Set,
                            SymbolText.NullableAttributes(property.GetAttributes())));
                        break;
                    case IEventSymbol @event:
                        events.Add(new EventModel(SymbolText.Identifier(@event.Name), declaringName, facts.Text(@event.Type)));
                        break;
                }
            }
        }

        var sameName = methods.GroupBy(m => m.Method.Name).Where(g => g.Count() > 1).ToDictionary(g => g.Key, g => 0);
        var methodModels = new List<MethodModel>(methods.Count);
        foreach (var (method, declaring) in methods)
        {
            var memberName = method.Name;
            if (sameName.TryGetValue(method.Name, out var index))
            {
                sameName[method.Name] = ++index;
                memberName += "_" + index;
            }

            methodModels.Add(ParseMethod(method, declaring, memberName, compilation, facts, cancellationTokenType, KeySpaces.Of(type), diagnostics, cancellationToken));
        }

        return new InterfaceModel(
            ns,
            fullName,
            SymbolText.Unbound(type),
            decoratorName,
            hintName,
            typeParameters,
            methodModels.ToEquatableArray(),
            properties.ToEquatableArray(),
            events.ToEquatableArray(),
            true,
            diagnostics.ToEquatableArray());
    }

    /// <summary>Why a top-level class in the interface's namespace cannot implement it, or null when it can.</summary>
    private static string? CannotImplement(INamedTypeSymbol type, List<INamedTypeSymbol> containers)
    {
        foreach (var symbol in containers.Append(type))
        {
            if (symbol.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
            {
                return symbol.Name + " is " + symbol.DeclaredAccessibility.ToString().ToLowerInvariant() + ", so no class outside its container can implement it";
            }

            if (symbol.IsFileLocal)
            {
                return symbol.Name + " is file-local, so no generated file can see it";
            }
        }

        foreach (var candidate in new[] { type }.Concat(type.AllInterfaces))
        {
            if (candidate.GetMembers().FirstOrDefault(m => m.IsStatic && m.IsAbstract) is { } member)
            {
                return candidate.Name + "." + member.Name + " is static abstract, which a decorator cannot forward";
            }
        }

        return null;
    }

    private static MethodModel ParseMethod(
        IMethodSymbol method,
        INamedTypeSymbol declaring,
        string memberName,
        Compilation compilation,
        TypeFacts facts,
        INamedTypeSymbol? cancellationTokenType,
        KeySpace keySpace,
        List<DiagnosticInfo> diagnostics,
        CancellationToken cancellationToken)
    {
        var (returnKind, valueType) = ClassifyReturn(method);
        var cached = SymbolNames.FindAttribute(method, TypeNames.CachedAttribute);
        var invalidates = SymbolNames.FindAttribute(method, TypeNames.InvalidatesCacheAttribute);
        var model = new MethodModel(
            SymbolText.Identifier(method.Name),
            memberName,
            facts.Text(declaring),
            facts.Text(method.ReturnType),
            method.ReturnsByRefReadonly ? "ref readonly " : method.ReturnsByRef ? "ref " : string.Empty,
            returnKind,
            valueType is null ? null : facts.Text(valueType),
            SymbolText.TypeParameters(method.TypeParameters),
            SymbolText.Parameters(method.Parameters, cancellationTokenType, facts),
            SymbolText.NullableAttributes(method.GetReturnTypeAttributes(), "return: "),
            MemberBehavior.PassThrough,
            null,
            null,
            null);

        if (cached is null && invalidates is null)
        {
            var disposal = SymbolNames.Is(declaring, "System.IDisposable") || SymbolNames.Is(declaring, "System.IAsyncDisposable");
            return disposal ? model with { Behavior = MemberBehavior.NotOwned } : model;
        }

        var attribute = (cached ?? invalidates)!;
        string? problem;
        string? analyzerRule = null;
        var binder = new TemplateBinder(method, compilation, facts, cancellationTokenType, keySpace);
        if (cached is not null && invalidates is not null)
        {
            problem = "it has both [Cached] and [InvalidatesCache]";
            analyzerRule = "CACHE009";
        }
        else if (UnsupportedShape(method, valueType, cached is not null) is { } shape)
        {
            problem = shape;

            // CACHE006 checks [Cached] methods only; an [InvalidatesCache] method of such a shape is ours to report.
            analyzerRule = cached is not null ? "CACHE006" : null;
        }
        else if (cached is not null)
        {
            if (TryBindCached(cached, binder, facts, valueType!, out var cachedModel, out problem, out analyzerRule))
            {
                return model with { Behavior = MemberBehavior.Cached, Cached = cachedModel! with { Method = declaring.Name + "." + method.Name }, Note = Describe(cached, cancellationToken) };
            }
        }
        else if (TryBindInvalidation(invalidates!, binder, out var invalidation, out problem, out analyzerRule))
        {
            return invalidation is null
                ? model
                : model with { Behavior = MemberBehavior.Invalidating, Invalidation = invalidation, Note = Describe(invalidates!, cancellationToken) };
        }

        // One mistake, one diagnostic: when an analyzer of the same package reports this very mistake on this source
        // (an error or a warning, which the build shows), a second diagnostic from here would only repeat it. The
        // generated code still says why the method is forwarded.
        if (analyzerRule is not null && AnalyzersSee(method, compilation, cancellationToken))
        {
            return model with { Note = "not cached: " + problem + " (reported as " + analyzerRule + ")" };
        }

        diagnostics.Add(new DiagnosticInfo(
            GeneratorDiagnostics.MethodNotDecorated,
            LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? method.Locations.FirstOrDefault()),
            new[] { method.ToDisplayString(MessageFormat), problem! }.ToEquatableArray()));
        return model with { Note = "not cached: " + problem };
    }

    /// <summary>
    /// True when the analyzers check this method: it is declared in this compilation's own source, outside generated
    /// code (the analyzers skip generated files, and an interface from a referenced assembly was checked, if at all, there).
    /// </summary>
    private static bool AnalyzersSee(IMethodSymbol method, Compilation compilation, CancellationToken cancellationToken)
    {
        if (!SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, compilation.Assembly) || method.DeclaringSyntaxReferences.IsEmpty)
        {
            return false;
        }

        for (ISymbol? symbol = method; symbol is not null; symbol = symbol.ContainingType)
        {
            if (SymbolNames.FindAttribute(symbol, "System.CodeDom.Compiler.GeneratedCodeAttribute") is not null)
            {
                return false;
            }
        }

        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (IsGeneratedFile(reference.SyntaxTree, cancellationToken))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The analyzer driver's test for generated code (file name, auto-generated header), except the .editorconfig
    /// switch generated_code, which a generator does not see without reading options for every file.
    /// </summary>
    private static bool IsGeneratedFile(SyntaxTree tree, CancellationToken cancellationToken)
    {
        var name = System.IO.Path.GetFileName(tree.FilePath ?? string.Empty);
        foreach (var suffix in GeneratedSuffixes)
        {
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        if (name.StartsWith("TemporaryGeneratedFile_", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var trivia in tree.GetRoot(cancellationToken).GetLeadingTrivia())
        {
            var text = trivia.ToString();
            if (text.IndexOf("<auto-generated", StringComparison.OrdinalIgnoreCase) >= 0 || text.IndexOf("<autogenerated", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private static readonly string[] GeneratedSuffixes = { ".designer.cs", ".generated.cs", ".g.cs", ".g.i.cs" };

    private static string? Describe(AttributeData attribute, CancellationToken cancellationToken) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).ToString() is { } text
            ? "[" + string.Join(" ", text.Split(LineBreaks, StringSplitOptions.RemoveEmptyEntries).Select(line => line.Trim())) + "]"
            : null;

    private static (ReturnKind Kind, ITypeSymbol? ValueType) ClassifyReturn(IMethodSymbol method)
    {
        if (method.ReturnsVoid)
        {
            return (ReturnKind.Void, null);
        }

        if (method.ReturnType is INamedTypeSymbol named && SymbolNames.IsIn(named, "System.Threading.Tasks"))
        {
            switch (named.MetadataName)
            {
                case "Task":
                    return (ReturnKind.Task, null);
                case "ValueTask":
                    return (ReturnKind.ValueTask, null);
                case "Task`1":
                    return (ReturnKind.TaskOfT, named.TypeArguments[0]);
                case "ValueTask`1":
                    return (ReturnKind.ValueTaskOfT, named.TypeArguments[0]);
            }
        }

        return (ReturnKind.Value, method.ReturnType);
    }

    private static string? UnsupportedShape(IMethodSymbol method, ITypeSymbol? valueType, bool isCached)
    {
        if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            return "it returns by reference";
        }

        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind != RefKind.None)
            {
                return "parameter '" + parameter.Name + "' is passed by reference (ref, out or in)";
            }

            if (parameter.Type.IsRefLikeType || parameter.Type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer)
            {
                return "parameter '" + parameter.Name + "' is a ref struct or a pointer, which cannot outlive the call";
            }
        }

        if (IsAsyncEnumerable(method.ReturnType) || (valueType is not null && IsAsyncEnumerable(valueType)))
        {
            return "IAsyncEnumerable<T> results are streamed, not cached";
        }

        if (!isCached)
        {
            return null;
        }

        if (valueType is null)
        {
            return "it returns no value to cache";
        }

        return valueType.IsRefLikeType || valueType.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer
            ? "its result is a ref struct or a pointer, which cannot be stored"
            : null;
    }

    private static bool IsAsyncEnumerable(ITypeSymbol type) =>
        SymbolNames.Is(type.OriginalDefinition, "System.Collections.Generic.IAsyncEnumerable`1");

    private static bool TryBindCached(AttributeData attribute, TemplateBinder binder, TypeFacts facts, ITypeSymbol valueType, out CachedModel? model, out string? problem, out string? analyzerRule)
    {
        model = null;
        var key = attribute.ConstructorArguments.Length > 0 ? attribute.ConstructorArguments[0].Value as string : null;
        if (!binder.TryBind(key, isPattern: false, out var keyModel, out var error, out analyzerRule))
        {
            problem = error;
            return false;
        }

        string? localTtl = null, redisTtl = null, profile = null, softTimeout = null, hardTimeout = null, jitter = null;
        var eagerRefresh = 0.0;
        var distributedLock = false;
        var cacheNull = false;
        var sharing = 0;
        var tags = new List<TemplateModel>();
        foreach (var argument in attribute.NamedArguments)
        {
            switch (argument.Key)
            {
                case "LocalTtl":
                    localTtl = argument.Value.Value as string;
                    break;
                case "RedisTtl":
                    redisTtl = argument.Value.Value as string;
                    break;
                case "Profile":
                    profile = argument.Value.Value as string;
                    break;
                case "CacheNull":
                    cacheNull = argument.Value.Value is true;
                    break;
                case "FactorySoftTimeout":
                    softTimeout = argument.Value.Value as string;
                    break;
                case "FactoryHardTimeout":
                    hardTimeout = argument.Value.Value as string;
                    break;
                case "JitterMaxDuration":
                    jitter = argument.Value.Value as string;
                    break;
                case "EagerRefreshThreshold":
                    eagerRefresh = argument.Value.Value is double fraction ? fraction : 0;
                    break;
                case "DistributedLock":
                    distributedLock = argument.Value.Value is true;
                    break;
                case "Sharing":
                    sharing = argument.Value.Value is int value ? value : 0;
                    break;
                case "Tags" when !argument.Value.IsNull:
                    foreach (var tag in argument.Value.Values)
                    {
                        if (!binder.TryBind(tag.Value as string, isPattern: false, out var tagModel, out error, out analyzerRule))
                        {
                            problem = "tag " + error;
                            return false;
                        }

                        tags.Add(tagModel!);
                    }

                    break;
            }
        }

        if (!TryDuration(localTtl, "LocalTtl", out var local, out problem) || !TryDuration(redisTtl, "RedisTtl", out var redis, out problem)
            || !TryDuration(softTimeout, "FactorySoftTimeout", out var soft, out problem) || !TryDuration(hardTimeout, "FactoryHardTimeout", out var hard, out problem)
            || !TryDuration(jitter, "JitterMaxDuration", out var jitterModel, out problem))
        {
            analyzerRule = "CACHE008";
            return false;
        }

        if (eagerRefresh is < 0 or >= 1 || double.IsNaN(eagerRefresh) || soft is { Ticks: <= 0 } || hard is { Ticks: <= 0 })
        {
            problem = "EagerRefreshThreshold must be a fraction between 0 and 1, and factory timeouts positive";
            analyzerRule = "CACHE008";
            return false;
        }

        string sharingName, reason;
        switch (sharing)
        {
            case 1:
                (sharingName, reason) = ("Share", "set by [Cached(Sharing = ValueSharing.Share)]");
                break;
            case 2:
                (sharingName, reason) = ("Copy", "set by [Cached(Sharing = ValueSharing.Copy)]");
                break;
            default:
                sharingName = facts.IsImmutable(valueType, out reason) ? "Share" : "Copy";
                break;
        }

        CopierModel? copier = null;
        if (sharingName == "Copy" && !ContainsTypeParameter(valueType))
        {
            copier = facts.Copier(valueType, out var copyReason);
            reason += "; " + (copier is null && !copyReason.StartsWith("copied", System.StringComparison.Ordinal) ? "the serializer copies: " : string.Empty) + copyReason;
        }

        model = new CachedModel(
            keyModel!,
            tags.ToEquatableArray(),
            local,
            redis,
            string.IsNullOrEmpty(profile) ? null : profile,
            cacheNull,
            sharingName,
            reason,
            ContainsTypeParameter(valueType) ? null : facts.SchemaTag(valueType),
            new ResilienceModel(soft, hard, eagerRefresh, jitterModel, distributedLock))
        {
            Copier = copier,
        };
        return true;
    }

    private static bool TryDuration(string? text, string name, out DurationModel? duration, out string? problem)
    {
        duration = null;
        problem = null;
        if (text is null)
        {
            return true;
        }

        if (!DurationText.TryParse(text, out var value))
        {
            problem = name + " \"" + text + "\" is not " + DurationText.Expected;
            return false;
        }

        duration = new DurationModel(value.Ticks, text);
        return true;
    }

    private static bool TryBindInvalidation(AttributeData attribute, TemplateBinder binder, out InvalidationModel? model, out string? problem, out string? analyzerRule)
    {
        model = null;
        problem = null;
        analyzerRule = null;
        var patterns = new List<TemplateModel>();
        var tags = new List<TemplateModel>();
        var texts = attribute.ConstructorArguments.Length == 0
            ? Enumerable.Empty<TypedConstant>()
            : attribute.ConstructorArguments[0].Kind == TypedConstantKind.Array ? attribute.ConstructorArguments[0].Values : new[] { attribute.ConstructorArguments[0] };
        foreach (var text in texts)
        {
            if (!binder.TryBind(text.Value as string, isPattern: true, out var pattern, out var error, out analyzerRule))
            {
                problem = error;
                return false;
            }

            patterns.Add(pattern!);
        }

        var before = false;
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == "BeforeInvocation")
            {
                before = argument.Value.Value is true;
            }
            else if (argument.Key == "Tags" && !argument.Value.IsNull)
            {
                foreach (var tag in argument.Value.Values)
                {
                    if (!binder.TryBind(tag.Value as string, isPattern: false, out var tagModel, out var error, out analyzerRule))
                    {
                        problem = "tag " + error;
                        return false;
                    }

                    tags.Add(tagModel!);
                }
            }
        }

        if (patterns.Count > 0 || tags.Count > 0)
        {
            model = new InvalidationModel(patterns.ToEquatableArray(), tags.ToEquatableArray(), before);
        }

        return true;
    }

    private static bool ContainsTypeParameter(ITypeSymbol type) => type switch
    {
        ITypeParameterSymbol => true,
        IArrayTypeSymbol array => ContainsTypeParameter(array.ElementType),
        INamedTypeSymbol named => named.TypeArguments.Any(ContainsTypeParameter),
        _ => false,
    };
}
