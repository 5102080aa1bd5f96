using System.Text;
using Caching.Analyzers.Infrastructure;
using Caching.Templates;

namespace Caching.Analyzers.Tests;

/// <summary>The analyzers' literal pre-check never changes the shared grammar's answer, it only answers sooner.</summary>
public class OverlapFilterTests
{
    [Fact]
    public void Prefilter_agrees_with_the_shared_overlap_on_random_templates()
    {
        var random = new Random(42);
        var templates = Enumerable.Range(0, 400)
            .Select(_ => random.Next(2) == 0 ? KeyTemplate.ParseKey(Random(random, pattern: false)) : KeyTemplate.ParsePattern(Random(random, pattern: true)))
            .Where(t => t.IsValid)
            .ToList();
        Assert.True(templates.Count > 200);

        var overlapping = 0;
        foreach (var a in templates)
        {
            foreach (var b in templates)
            {
                var expected = TemplateOverlap.CanOverlap(a, b);
                Assert.True(expected == Overlap.CanOverlap(a, b), $"\"{a}\" / \"{b}\"");
                overlapping += expected ? 1 : 0;
            }
        }

        // Both answers occur often, so the agreement is not vacuous.
        Assert.InRange(overlapping, templates.Count, (templates.Count * templates.Count) - templates.Count);
    }

    private static string Random(Random random, bool pattern)
    {
        var builder = new StringBuilder();
        var segments = random.Next(1, 4);
        for (var s = 0; s < segments; s++)
        {
            if (s > 0)
            {
                builder.Append(':');
            }

            switch (random.Next(pattern ? 5 : 4))
            {
                case 0:
                    builder.Append("{x}");
                    break;
                case 1:
                    builder.Append("ab"[random.Next(2)]).Append("{y}");
                    break;
                case 4:
                    builder.Append("*?"[random.Next(2)]);
                    break;
                default:
                    builder.Append("ab"[random.Next(2)]);
                    if (random.Next(2) == 0)
                    {
                        builder.Append("ab"[random.Next(2)]);
                    }

                    break;
            }
        }

        return builder.ToString();
    }
}
