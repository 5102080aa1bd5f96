using System.IO.Compression;
using System.Xml.Linq;

namespace Caching.Package.Tests;

/// <summary>
/// What nuget.org and an IDE show about each package, read from the .nuspec that <c>dotnet pack</c> wrote: license,
/// repository, readme (and that it is inside the package), release notes, authors, tags, and the dependencies that
/// keep OpenTelemetry out of the runtime and let MemoryPack's generator reach the consumer.
/// </summary>
[Collection(PackagesCollection.Name)]
public sealed class PackageMetadataTests(PackedPackages packages)
{
    public static TheoryData<string, string> Packages => new()
    {
        { "Caching.Runtime", "source-generator" },
        { "Caching.AspNetCore", "aspnetcore" },
        { "Caching.OpenTelemetry", "opentelemetry" },
        { "Caching.Serialization.MemoryPack", "memorypack" },
    };

    [Theory]
    [MemberData(nameof(Packages))]
    public void The_package_carries_license_repository_readme_release_notes_authors_and_tags(string id, string ownTag)
    {
        var (metadata, entries) = Read(id);

        Assert.Equal(id, Value(metadata, "id"));
        Assert.Equal(packages.Version, Value(metadata, "version"));
        var license = Element(metadata, "license");
        Assert.Equal("expression", license.Attribute("type")?.Value);
        Assert.Equal("MIT", license.Value);
        var repository = Element(metadata, "repository");
        Assert.Equal("git", repository.Attribute("type")?.Value);
        Assert.StartsWith("https://", repository.Attribute("url")?.Value, StringComparison.Ordinal);
        Assert.StartsWith("https://", Value(metadata, "projectUrl"), StringComparison.Ordinal);
        Assert.Equal("README.md", Value(metadata, "readme"));
        Assert.Contains("README.md", entries);
        Assert.False(string.IsNullOrWhiteSpace(Value(metadata, "authors")));
        Assert.False(string.IsNullOrWhiteSpace(Value(metadata, "description")));

        var notes = File.ReadAllText(Path.Combine(PackedPackages.RepositoryRoot, "RELEASE-NOTES.md")).Trim();
        Assert.Equal(notes.ReplaceLineEndings("\n"), Value(metadata, "releaseNotes").ReplaceLineEndings("\n"));

        var tags = Value(metadata, "tags").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("cache", tags);
        Assert.Contains("redis", tags);
        Assert.Contains(ownTag, tags);
    }

    [Fact]
    public void The_runtime_does_not_depend_on_OpenTelemetry_and_its_package_depends_on_the_API_alone()
    {
        Assert.DoesNotContain(Dependencies("Caching.Runtime"), d => d.Id.StartsWith("OpenTelemetry", StringComparison.Ordinal));

        var instrumentation = Dependencies("Caching.OpenTelemetry");
        Assert.Contains(instrumentation, d => d.Id == "Caching.Runtime" && d.Version == packages.Version);
        Assert.Contains(instrumentation, d => d.Id == "OpenTelemetry.Api");
        Assert.DoesNotContain(instrumentation, d => d.Id == "OpenTelemetry");
    }

    [Fact]
    public void The_MemoryPack_package_passes_MemoryPack_on_with_its_generator()
    {
        var dependencies = Dependencies("Caching.Serialization.MemoryPack");

        Assert.Contains(dependencies, d => d.Id == "Caching.Runtime" && d.Version == packages.Version);
        var memoryPack = Assert.Single(dependencies, d => d.Id == "MemoryPack");
        Assert.DoesNotContain("Analyzers", memoryPack.Exclude ?? string.Empty, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Caching.AspNetCore")]
    [InlineData("Caching.OpenTelemetry")]
    [InlineData("Caching.Serialization.MemoryPack")]
    public void A_package_on_the_runtime_passes_on_its_generator_and_analyzers(string id)
    {
        var runtime = Assert.Single(Dependencies(id), d => d.Id == "Caching.Runtime");

        Assert.Equal(packages.Version, runtime.Version);
        Assert.DoesNotContain("Analyzers", runtime.Exclude ?? string.Empty, StringComparison.OrdinalIgnoreCase);
    }

    private (XElement Metadata, List<string> Entries) Read(string id)
    {
        using var archive = ZipFile.OpenRead(packages.PackagePath(id));
        var entries = archive.Entries.Select(e => e.FullName).ToList();
        var nuspec = archive.Entries.Single(e => e.FullName == id + ".nuspec");
        using var stream = nuspec.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        return (metadata, entries);
    }

    private List<(string Id, string Version, string? Exclude)> Dependencies(string id) =>
        [.. Read(id).Metadata.Descendants()
            .Where(e => e.Name.LocalName == "dependency")
            .Select(e => (e.Attribute("id")!.Value, e.Attribute("version")!.Value, e.Attribute("exclude")?.Value))];

    private static XElement Element(XElement metadata, string name)
    {
        var element = metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name);
        Assert.True(element is not null, $"the nuspec has no <{name}>");
        return element;
    }

    private static string Value(XElement metadata, string name) => Element(metadata, name).Value;
}
