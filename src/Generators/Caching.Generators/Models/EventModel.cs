namespace Caching.Generators.Models;

/// <summary>An event, passed straight through.</summary>
internal sealed record EventModel(string Name, string DeclaringInterface, string Type);
