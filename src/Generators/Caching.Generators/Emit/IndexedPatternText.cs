using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Caching.Generators.Helpers;
using Caching.Generators.Models;
using Caching.Templates;

namespace Caching.Generators.Emit;

/// <summary>
/// The shapes of an interface's <c>[InvalidatesCache]</c> patterns as the runtime's pattern index takes them: every
/// value, type argument and interface prefix becomes a hole. Registered by <c>AddCachingDecorators</c>, they make
/// each invalidation one mark in Redis instead of a SCAN of it. Segment-prefix patterns need no shape, and a pattern
/// the runtime could not index is left out (it still works, by SCAN), so a registration never stops an application.
/// </summary>
internal static class IndexedPatternText
{
    public static EquatableArray<string> Of(InterfaceModel model)
    {
        var shapes = new List<string>();
        foreach (var method in model.Methods)
        {
            if (method.Invalidation is not { } invalidation)
            {
                continue;
            }

            foreach (var pattern in invalidation.Patterns)
            {
                if (!pattern.HasWildcard)
                {
                    continue;
                }

                var shape = Shape(pattern, model.TypeParameters.Count);
                if (PatternShape.Classify(KeyTemplate.ParsePattern(shape), out _) == PatternShapeKind.Indexed && !shapes.Contains(shape))
                {
                    shapes.Add(shape);
                }
            }
        }

        return shapes.ToEquatableArray();
    }

    private static string Shape(TemplateModel pattern, int interfaceTypeParameters)
    {
        var text = new StringBuilder();
        var holes = 0;
        foreach (var part in pattern.Parts)
        {
            switch (part.Kind)
            {
                case KeyPartKind.Literal:
                    text.Append(part.Text);
                    break;
                case KeyPartKind.InterfacePrefix:
                    // The decorator's KeyPrefix: each escaped type argument followed by ':'.
                    for (var i = 0; i < interfaceTypeParameters; i++)
                    {
                        text.Append("{h").Append(holes++.ToString(CultureInfo.InvariantCulture)).Append("}:");
                    }

                    break;
                default:
                    text.Append("{h").Append(holes++.ToString(CultureInfo.InvariantCulture)).Append('}');
                    break;
            }
        }

        return text.ToString();
    }
}
