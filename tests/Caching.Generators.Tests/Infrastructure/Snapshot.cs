using System.Text;

namespace Caching.Generators.Tests.Infrastructure;

/// <summary>
/// Compares text with an approved file <c>Snapshots/{name}.verified.cs</c>, exactly. On a mismatch it writes
/// <c>{name}.received.cs</c> next to it and fails with a unified diff; set <c>CACHING_ACCEPT_SNAPSHOTS=1</c> to approve.
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "CACHING_ACCEPT_SNAPSHOTS";

    public static void Match(string actual, string name)
    {
        var directory = Path.Combine(ProjectDirectory(), "Snapshots");
        var verifiedPath = Path.Combine(directory, name + ".verified.cs");
        var receivedPath = Path.Combine(directory, name + ".received.cs");
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            File.WriteAllText(verifiedPath, actual);
            File.Delete(receivedPath);
            return;
        }

        if (!File.Exists(verifiedPath))
        {
            File.WriteAllText(receivedPath, actual);
            Assert.Fail($"No approved snapshot {verifiedPath}. Review {receivedPath} and rename it, or rerun with {AcceptVariable}=1.");
        }

        var expected = File.ReadAllText(verifiedPath).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (expected == actual)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, actual);
        Assert.Fail($"Generated source differs from {Path.GetFileName(verifiedPath)} (received file: {receivedPath}; approve with {AcceptVariable}=1):\n"
            + UnifiedDiff(expected.Split('\n'), actual.Split('\n'), Path.GetFileName(verifiedPath), Path.GetFileName(receivedPath)));
    }

    /// <summary>The test project's folder, found from the test binaries upwards (robust to path-mapped builds).</summary>
    public static string ProjectDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Caching.Generators.Tests.csproj")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Caching.Generators.Tests.csproj not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A line diff (longest common subsequence) in unified format with three lines of context.</summary>
    public static string UnifiedDiff(string[] expected, string[] actual, string expectedName, string actualName)
    {
        var lcs = new int[expected.Length + 1, actual.Length + 1];
        for (var i = expected.Length - 1; i >= 0; i--)
        {
            for (var j = actual.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = expected[i] == actual[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var edits = new List<(char Op, string Line, int ExpectedLine, int ActualLine)>();
        int a = 0, b = 0;
        while (a < expected.Length || b < actual.Length)
        {
            if (a < expected.Length && b < actual.Length && expected[a] == actual[b])
            {
                edits.Add((' ', expected[a], a++, b++));
            }
            else if (b < actual.Length && (a == expected.Length || lcs[a, b + 1] >= lcs[a + 1, b]))
            {
                edits.Add(('+', actual[b], a, b++));
            }
            else
            {
                edits.Add(('-', expected[a], a++, b));
            }
        }

        var text = new StringBuilder().Append("--- ").Append(expectedName).Append('\n').Append("+++ ").Append(actualName).Append('\n');
        const int context = 3;
        var changes = Enumerable.Range(0, edits.Count).Where(i => edits[i].Op != ' ').ToList();
        for (var k = 0; k < changes.Count; k++)
        {
            var first = changes[k];
            var last = first;
            while (k + 1 < changes.Count && changes[k + 1] - last <= 2 * context)
            {
                last = changes[++k];
            }

            var from = Math.Max(0, first - context);
            var to = Math.Min(edits.Count, last + context + 1);
            var hunk = edits.GetRange(from, to - from);
            text.Append("@@ -").Append(hunk[0].ExpectedLine + 1).Append(',').Append(hunk.Count(e => e.Op != '+'))
                .Append(" +").Append(hunk[0].ActualLine + 1).Append(',').Append(hunk.Count(e => e.Op != '-')).Append(" @@\n");
            foreach (var edit in hunk)
            {
                text.Append(edit.Op).Append(edit.Line).Append('\n');
            }
        }

        return text.ToString();
    }
}
