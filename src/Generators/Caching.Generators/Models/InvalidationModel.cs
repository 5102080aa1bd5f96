using Caching.Generators.Helpers;

namespace Caching.Generators.Models;

/// <summary>What <c>[InvalidatesCache]</c> asks for: patterns and tags to clear, before or after the call.</summary>
internal sealed record InvalidationModel(EquatableArray<TemplateModel> Patterns, EquatableArray<TemplateModel> Tags, bool BeforeInvocation);
