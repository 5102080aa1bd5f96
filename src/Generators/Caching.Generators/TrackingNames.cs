namespace Caching.Generators;

/// <summary>
/// Names of the pipeline steps, so tests can ask the driver whether each step was cached after an edit.
/// </summary>
internal static class TrackingNames
{
    public const string CachedMethods = nameof(CachedMethods);
    public const string InvalidatingMethods = nameof(InvalidatingMethods);
    public const string DerivedInterfaces = nameof(DerivedInterfaces);
    public const string Interfaces = nameof(Interfaces);
    public const string Registrations = nameof(Registrations);
}
