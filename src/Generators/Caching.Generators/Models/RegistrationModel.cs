using Caching.Generators.Helpers;

namespace Caching.Generators.Models;

/// <summary>What <c>AddCachingDecorators</c> needs to know about one decorated interface.</summary>
/// <param name="Profiles">The profiles its cached methods name.</param>
/// <param name="IndexedPatterns">Its invalidation patterns' shapes for the runtime's pattern index (<c>IndexedPatternText</c>).</param>
/// <param name="Methods">The names its cached methods have in configuration (<c>Cache:Methods:{name}</c>).</param>
internal sealed record RegistrationModel(
    string InterfaceName,
    string UnboundInterfaceName,
    string DecoratorName,
    string UnboundDecoratorName,
    bool IsGeneric,
    string InnerServiceKey,
    EquatableArray<string> IndexedPatterns,
    EquatableArray<ProfileUse> Profiles,
    EquatableArray<string> Methods);

/// <summary>A <c>[Cached(Profile = ...)]</c>: startup fails, naming <paramref name="UsedBy"/>, when the profile is not configured.</summary>
internal sealed record ProfileUse(string Profile, string UsedBy);
