namespace Caching.Generators.Models;

/// <summary>What <c>AddCachingDecorators</c> needs to know about one decorated interface.</summary>
internal sealed record RegistrationModel(
    string InterfaceName,
    string UnboundInterfaceName,
    string DecoratorName,
    string UnboundDecoratorName,
    bool IsGeneric,
    string InnerServiceKey);
