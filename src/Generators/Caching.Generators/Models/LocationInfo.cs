using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Caching.Generators.Models;

/// <summary>A source location as plain data: <see cref="Location"/> holds a syntax tree and must not enter the pipeline.</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(Location? location) =>
        location is { IsInSource: true, SourceTree: { } tree }
            ? new LocationInfo(tree.FilePath, location.SourceSpan, location.GetLineSpan().Span)
            : null;
}
