namespace Caching.Analyzers.Infrastructure;

/// <summary>Where a template string comes from.</summary>
internal enum TemplateRole
{
    /// <summary>The key of <c>[Cached]</c>.</summary>
    Key,

    /// <summary>One pattern of <c>[InvalidatesCache]</c>.</summary>
    Pattern,

    /// <summary>One tag template of <c>[Cached(Tags = ...)]</c> or <c>[InvalidatesCache(Tags = ...)]</c>.</summary>
    Tag,
}
