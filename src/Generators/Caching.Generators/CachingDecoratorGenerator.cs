using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Caching.Generators.Emit;
using Caching.Generators.Helpers;
using Caching.Generators.Models;
using Caching.Generators.Parsing;
using Microsoft.CodeAnalysis;

namespace Caching.Generators;

/// <summary>
/// Emits a caching decorator for every interface with a <c>[Cached]</c> or <c>[InvalidatesCache]</c> method (or
/// inheriting one), and one <c>AddCachingDecorators</c> per assembly that wraps their registrations.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class CachingDecoratorGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var cached = context.SyntaxProvider
            .ForAttributeWithMetadataName(TypeNames.CachedAttribute, InterfaceParser.IsInterfaceMethod, InterfaceParser.FromAnnotatedMethod)
            .WithTrackingName(TrackingNames.CachedMethods);
        var invalidating = context.SyntaxProvider
            .ForAttributeWithMetadataName(TypeNames.InvalidatesCacheAttribute, InterfaceParser.IsInterfaceMethod, InterfaceParser.FromAnnotatedMethod)
            .WithTrackingName(TrackingNames.InvalidatingMethods);
        var derived = context.SyntaxProvider
            .CreateSyntaxProvider(InterfaceParser.IsDerivedInterface, InterfaceParser.FromDerivedInterface)
            .WithTrackingName(TrackingNames.DerivedInterfaces);

        var all = cached.Collect()
            .Combine(invalidating.Collect())
            .Combine(derived.Collect())
            .Select(static (found, _) => Distinct(found.Left.Left.Concat(found.Left.Right).Concat(found.Right)));
        var interfaces = all
            .SelectMany(static (models, _) => models)
            .WithTrackingName(TrackingNames.Interfaces);
        var registrations = all
            .Select(static (models, _) => models
                .Where(m => m.IsDecorated)
                .Select(m => new RegistrationModel(m.FullyQualifiedName, m.UnboundName, m.FullyQualifiedDecoratorName, m.UnboundDecoratorName, m.IsGeneric, m.InnerServiceKey, IndexedPatternText.Of(m), ProfileUses(m), MethodNames(m)))
                .ToEquatableArray())
            .WithTrackingName(TrackingNames.Registrations);

        context.RegisterSourceOutput(interfaces, static (spc, model) =>
        {
            foreach (var diagnostic in model.Diagnostics)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            }

            if (model.IsDecorated)
            {
                spc.AddSource(model.HintName, DecoratorEmitter.Emit(model));
            }
        });
        context.RegisterSourceOutput(registrations, static (spc, models) =>
        {
            if (!models.IsEmpty)
            {
                spc.AddSource("CachingDecoratorServiceCollectionExtensions.g.cs", RegistrationEmitter.Emit(models));
            }
        });
    }

    private static EquatableArray<string> MethodNames(InterfaceModel model) => model.Methods
        .Where(m => m.Cached is not null)
        .Select(m => m.Cached!.Method)
        .Distinct()
        .ToEquatableArray();

    private static EquatableArray<ProfileUse> ProfileUses(InterfaceModel model) => model.Methods
        .Where(m => m.Cached?.Profile is not null)
        .Select(m => new ProfileUse(m.Cached!.Profile!, m.DeclaringInterface.Replace("global::", string.Empty) + "." + m.Name))
        .ToEquatableArray();

    /// <summary>
    /// One model per interface (a method with both attributes, or a partial interface, is found twice), in a stable
    /// order. Hint names are unique per interface by construction, but the compiler compares them ignoring case
    /// (they become file names), so interfaces that differ only in case (IWidget, IWIDGET) get a numbered file.
    /// </summary>
    private static EquatableArray<InterfaceModel> Distinct(IEnumerable<InterfaceModel?> models)
    {
        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        var unique = models
            .Where(m => m is not null && seen.Add(m.HintName))
            .Select(m => m!)
            .OrderBy(m => m.HintName, System.StringComparer.Ordinal)
            .ToList();
        var files = new Dictionary<string, int>(System.StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < unique.Count; i++)
        {
            var hintName = unique[i].HintName;
            if (files.TryGetValue(hintName, out var count))
            {
                files[hintName] = ++count;

                // A numbered hint ends in ".N.g.cs", which no other hint does (they end in "CachingDecorator.g.cs" or
                // "`N.g.cs"), and the count only grows within its group, so numbered hints cannot meet either.
                unique[i] = unique[i] with { HintName = hintName.Substring(0, hintName.Length - ".g.cs".Length) + "." + count + ".g.cs" };
            }
            else
            {
                files.Add(hintName, 1);
            }
        }

        return unique.ToEquatableArray();
    }
}
