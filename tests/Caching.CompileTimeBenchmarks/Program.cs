using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using Caching.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Caching.CompileTimeBenchmarks;

/// <summary>
/// What the generator and the analyzers cost the compiler (issue 12's compile-time budget), in process: N interfaces
/// of 6 annotated methods beside the SDK's System.Text.Json generator (N [JsonSerializable] types) and LoggerMessage
/// generator (N classes of 5 log methods) as anchors, in the same run. CPU milliseconds of this process, median of
/// the repetitions. Usage: dotnet run -c Release --project tests/Caching.CompileTimeBenchmarks -- [N ...] [--reps R].
/// </summary>
internal static class Program
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static bool GeneratorsOnly;

    private static bool IdeOnly;

    public static async Task<int> Main(string[] args)
    {
        GeneratorsOnly = args.Contains("--generators");
        IdeOnly = args.Contains("--ide");
        var sizes = args.Where((a, i) => int.TryParse(a, out _) && (i == 0 || args[i - 1] != "--reps")).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToList();
        if (args.Contains("--per-analyzer"))
        {
            await PerAnalyzerAsync(sizes.FirstOrDefault(500));
            return 0;
        }

        if (args.Contains("--ide-loop"))
        {
            await IdeLoopAsync(sizes.FirstOrDefault(2000));
            return 0;
        }

        if (args.Contains("--generator-loop"))
        {
            GeneratorLoop(sizes.FirstOrDefault(500));
            return 0;
        }

        if (sizes.Count == 0)
        {
            sizes = [500, 2000];
        }

        var reps = args.SkipWhile(a => a != "--reps").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(5);
        var anchors = Anchors.Load();
        Console.WriteLine($"# Compile time, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, Roslyn {typeof(CSharpCompilation).Assembly.GetName().Version}, median of {reps} repetitions, CPU ms of this process");

        // Warm-up: a whole unmeasured pass at the first size, so every path is jitted (the project turns tiering off:
        // a compiler server runs warm, and tier-0 code made the first size look slower than the next).
        await MeasureAsync(sizes[0], 1, anchors, print: false);
        foreach (var n in sizes)
        {
            await MeasureAsync(n, reps, anchors, print: true);
        }

        return 0;
    }

    private static async Task MeasureAsync(int n, int reps, Anchors anchors, bool print)
    {
        var inputs = Inputs.Create(n);
        var compilation = inputs.Compilation;

        var ours = Generators(new CachingDecoratorGenerator());
        if (IdeOnly)
        {
            CSharpGeneratorDriver.Create(ours, parseOptions: ParseOptions).RunGeneratorsAndUpdateCompilation(compilation, out var withDecorators, out _);
            var keystrokes = 1;
            async Task OneKeystrokeAsync(ImmutableArray<DiagnosticAnalyzer> which)
            {
                var tree = inputs.EditedTemplate(keystrokes++);
                await AnalyzeDocumentAsync(withDecorators.ReplaceSyntaxTree(withDecorators.SyntaxTrees.First(t => t.FilePath == inputs.Edited.FilePath), tree), tree, which);
            }

            var ide = await MedianAsync(reps, () => OneKeystrokeAsync(Analyzers.Ours()));
            var ideNoOp = await MedianAsync(reps, () => OneKeystrokeAsync([new NoOpAnalyzer()]));
            if (print)
            {
                Console.WriteLine($"N = {n}: IDE, the edited document in a new compilation: {ide:F0} ms (no-op {ideNoOp:F0})");
            }

            return;
        }

        var first = Median(reps, () => CSharpGeneratorDriver.Create(ours, parseOptions: ParseOptions).RunGenerators(compilation));
        var warm = CSharpGeneratorDriver.Create(ours, parseOptions: ParseOptions).RunGenerators(compilation);
        var unrelated = compilation.ReplaceSyntaxTree(inputs.Helper, inputs.EditedHelper());
        var afterUnrelated = Median(reps, () => warm.RunGenerators(unrelated));
        var fresh = 100;
        var afterFresh = Median(reps, () => warm.RunGenerators(compilation.ReplaceSyntaxTree(inputs.Helper, inputs.EditedHelper(fresh++))));
        var template = compilation.ReplaceSyntaxTree(inputs.Edited, inputs.EditedTemplate());
        var afterTemplate = Median(reps, () => warm.RunGenerators(template));

        var stj = Generators(anchors.Json);
        var stjFirst = Median(reps, () => CSharpGeneratorDriver.Create(stj, parseOptions: ParseOptions).RunGenerators(compilation));
        var stjWarm = CSharpGeneratorDriver.Create(stj, parseOptions: ParseOptions).RunGenerators(compilation);
        var stjUnrelated = Median(reps, () => stjWarm.RunGenerators(unrelated));
        var stjFresh = Median(reps, () => stjWarm.RunGenerators(compilation.ReplaceSyntaxTree(inputs.Helper, inputs.EditedHelper(fresh++))));
        var log = Generators(anchors.Logging);
        var logFirst = Median(reps, () => CSharpGeneratorDriver.Create(log, parseOptions: ParseOptions).RunGenerators(compilation));
        var logWarm = CSharpGeneratorDriver.Create(log, parseOptions: ParseOptions).RunGenerators(compilation);
        var logUnrelated = Median(reps, () => logWarm.RunGenerators(unrelated));
        var logFresh = Median(reps, () => logWarm.RunGenerators(compilation.ReplaceSyntaxTree(inputs.Helper, inputs.EditedHelper(fresh++))));

        if (GeneratorsOnly)
        {
            if (print)
            {
                Console.WriteLine($"\n## N = {n}, generators only\n");
                Console.WriteLine($"| first run | {first:F0} | {stjFirst:F0} | {logFirst:F0} |");
                Console.WriteLine($"| unrelated edit | {afterUnrelated:F0} | {stjUnrelated:F0} | {logUnrelated:F0} |");
                Console.WriteLine($"| unrelated edit, new compilation | {afterFresh:F0} | {stjFresh:F0} | {logFresh:F0} |");
                Console.WriteLine($"| template edit | {afterTemplate:F0} | - | - |");
            }

            return;
        }

        // The analyzers see what a build sees: the compilation with the decorators in it.
        CSharpGeneratorDriver.Create(ours, parseOptions: ParseOptions).RunGeneratorsAndUpdateCompilation(compilation, out var built, out _);
        var analyzers = Analyzers.Ours();
        ImmutableArray<DiagnosticAnalyzer> noOp = [new NoOpAnalyzer()];
        var whole = await MedianAsync(reps, () => AnalyzeAsync(built, analyzers));
        var wholeNoOp = await MedianAsync(reps, () => AnalyzeAsync(built, noOp));
        var diagnostics = await new CompilationWithAnalyzers(built, analyzers, Options()).GetAnalyzerDiagnosticsAsync();
        var crashes = diagnostics.Count(d => d.Id is "AD0001" or "CS8785");

        // The IDE after one keystroke: a new compilation each time (whoever asks first pays for what Roslyn computes
        // once per compilation, so ours and the no-op get one each), the edited interface's document analyzed.
        var keystroke = 1;
        async Task KeystrokeAsync(ImmutableArray<DiagnosticAnalyzer> which)
        {
            var tree = inputs.EditedTemplate(keystroke++);
            await AnalyzeDocumentAsync(built.ReplaceSyntaxTree(built.SyntaxTrees.First(t => t.FilePath == inputs.Edited.FilePath), tree), tree, which);
        }

        var document = await MedianAsync(reps, () => KeystrokeAsync(analyzers));
        var documentNoOp = await MedianAsync(reps, () => KeystrokeAsync(noOp));

        if (!print)
        {
            return;
        }

        Console.WriteLine();
        Console.WriteLine($"## N = {n} ({inputs.AnnotatedMethods:N0} annotated methods, {inputs.Compilation.SyntaxTrees.Count():N0} files)");
        Console.WriteLine();
        Console.WriteLine("| CPU ms | ours | System.Text.Json | LoggerMessage |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine($"| generator, first run | {first:F0} | {stjFirst:F0} | {logFirst:F0} |");
        Console.WriteLine($"| generator, after an unrelated edit (a method body elsewhere) | {afterUnrelated:F0} | {stjUnrelated:F0} | {logUnrelated:F0} |");
        Console.WriteLine($"| the same, each repetition a new compilation (symbols unbound, as after a keystroke) | {afterFresh:F0} | {stjFresh:F0} | {logFresh:F0} |");
        Console.WriteLine($"| generator, after one template edit | {afterTemplate:F0} | - | - |");
        Console.WriteLine($"| analyzers CACHE001-012, whole compilation | {whole:F0} (no-op analyzer {wholeNoOp:F0}; above it {whole - wholeNoOp:F0}) | - | - |");
        Console.WriteLine($"| IDE: the edited interface's document | {document:F0} (no-op {documentNoOp:F0}) | - | - |");
        Console.WriteLine();
        Console.WriteLine($"AD0001/CS8785 (an analyzer or generator that threw): {crashes}; our diagnostics: {diagnostics.Length}.");
    }

    /// <summary>For a profiler: the warm generator after alternating unrelated and template edits, each a new compilation, until killed.</summary>
    private static void GeneratorLoop(int n)
    {
        var inputs = Inputs.Create(n);
        var driver = (GeneratorDriver)CSharpGeneratorDriver.Create(Generators(new CachingDecoratorGenerator()), parseOptions: ParseOptions).RunGenerators(inputs.Compilation);
        Console.WriteLine($"pid {Environment.ProcessId}");
        for (var i = 0; ; i++)
        {
            // A new compilation each time, as after a keystroke: its symbols are unbound and nothing is remembered for it.
            Compilation[] edits = [inputs.Compilation.ReplaceSyntaxTree(inputs.Helper, inputs.EditedHelper(i)), inputs.Compilation.ReplaceSyntaxTree(inputs.Edited, inputs.EditedTemplate()), inputs.Compilation.ReplaceSyntaxTree(inputs.Helper, inputs.EditedHelper(-i))];
            var before = Process.GetCurrentProcess().TotalProcessorTime;
            var pause = GC.GetTotalPauseDuration();
            var allocated = GC.GetTotalAllocatedBytes();
            var gcs = GC.CollectionCount(0);
            driver = driver.RunGenerators(edits[i % edits.Length]);
            if (i % 10 < 3)
            {
                Console.WriteLine($"edit {i % 3}: {(Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds:F0} ms CPU, GC pause {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:F0} ms, {GC.CollectionCount(0) - gcs} GCs, {(GC.GetTotalAllocatedBytes() - allocated) / 1e6:F1} MB");
            }
        }
    }

    /// <summary>For a profiler: the edited interface's document analyzed in a new compilation each time, until killed.</summary>
    private static async Task IdeLoopAsync(int n)
    {
        var inputs = Inputs.Create(n);
        CSharpGeneratorDriver.Create(Generators(new CachingDecoratorGenerator()), parseOptions: ParseOptions).RunGeneratorsAndUpdateCompilation(inputs.Compilation, out var built, out _);
        var analyzers = Analyzers.Ours();
        Console.WriteLine($"pid {Environment.ProcessId}");
        for (var i = 0; ; i++)
        {
            var tree = inputs.EditedTemplate(i);
            var edited = built.ReplaceSyntaxTree(built.SyntaxTrees.First(t => t.FilePath == inputs.Edited.FilePath), tree);
            var before = Process.GetCurrentProcess().TotalProcessorTime;
            await AnalyzeDocumentAsync(edited, tree, analyzers);
            if (i % 10 == 0)
            {
                Console.WriteLine($"{(Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds:F0} ms");
            }
        }
    }

    /// <summary>Where the analyzers' time goes: the compiler's own per-analyzer execution times, one run.</summary>
    private static async Task PerAnalyzerAsync(int n)
    {
        var inputs = Inputs.Create(n);
        CSharpGeneratorDriver.Create(Generators(new CachingDecoratorGenerator()), parseOptions: ParseOptions).RunGeneratorsAndUpdateCompilation(inputs.Compilation, out var built, out _);
        var withAnalyzers = new CompilationWithAnalyzers(built, Analyzers.Ours(), new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
        await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        foreach (var analyzer in withAnalyzers.Analyzers)
        {
            var info = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None);
            Console.WriteLine($"{info.ExecutionTime.TotalMilliseconds,10:F0} ms  {analyzer.GetType().Name}");
        }
    }

    private static ISourceGenerator[] Generators(params object[] generators) =>
        generators.Select(g => g is IIncrementalGenerator incremental ? incremental.AsSourceGenerator() : (ISourceGenerator)g).ToArray();

    private static async Task AnalyzeAsync(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers) =>
        await new CompilationWithAnalyzers(compilation, analyzers, Options()).GetAnalyzerDiagnosticsAsync();

    private static async Task AnalyzeDocumentAsync(Compilation compilation, SyntaxTree tree, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var withAnalyzers = new CompilationWithAnalyzers(compilation, analyzers, Options());
        await withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(tree), filterSpan: null, CancellationToken.None);
    }

    private static CompilationWithAnalyzersOptions Options() =>
        new(new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false);

    private static double Median(int reps, Action run) =>
        MedianAsync(reps, () => { run(); return Task.CompletedTask; }).GetAwaiter().GetResult();

    private static async Task<double> MedianAsync(int reps, Func<Task> run)
    {
        var samples = new List<double>();
        for (var i = 0; i < reps; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var before = Process.GetCurrentProcess().TotalProcessorTime;
            await run();
            samples.Add((Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds);
        }

        samples.Sort();
        return samples[samples.Count / 2];
    }
}

/// <summary>The SDK's own generators: System.Text.Json's from the reference pack, LoggerMessage's from its package.</summary>
internal sealed record Anchors(object Json, object Logging)
{
    public static Anchors Load()
    {
        var dotnet = Path.GetDirectoryName(typeof(object).Assembly.Location)!; // .../shared/Microsoft.NETCore.App/10.0.x
        var root = Path.GetFullPath(Path.Combine(dotnet, "..", "..", ".."));
        var version = Path.GetFileName(dotnet);
        var json = Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref", version, "analyzers", "dotnet", "cs", "System.Text.Json.SourceGeneration.dll");
        if (!File.Exists(json))
        {
            json = Directory.EnumerateFiles(Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref"), "System.Text.Json.SourceGeneration.dll", SearchOption.AllDirectories).Last();
        }

        // The LoggerMessage generator ships in the package the app references: the version this host restored.
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var informational = typeof(Microsoft.Extensions.Logging.ILogger).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        var logging = Path.Combine(packages, "microsoft.extensions.logging.abstractions", informational, "analyzers", "dotnet", "roslyn4.4", "cs", "Microsoft.Extensions.Logging.Generators.dll");
        return new Anchors(Load(json), Load(logging));
    }

    private static object Load(string path)
    {
        var assembly = Assembly.LoadFrom(Path.GetFullPath(path));
        var type = assembly.GetTypes().First(t => !t.IsAbstract && typeof(IIncrementalGenerator).IsAssignableFrom(t) && t.GetCustomAttribute<GeneratorAttribute>() is not null);
        return Activator.CreateInstance(type)!;
    }
}

/// <summary>Every analyzer of Caching.Analyzers.</summary>
internal static class Analyzers
{
    public static ImmutableArray<DiagnosticAnalyzer> Ours() =>
        [.. typeof(Caching.Analyzers.Rules.CollidingKeysAnalyzer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)];
}

/// <summary>The floor: an analyzer that asks for every method symbol and does nothing with it.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class NoOpAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Never = new("NOOP001", "never", "never", "none", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Never];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(static _ => { }, SymbolKind.Method);
    }
}

/// <summary>The generated inputs: one file per interface, per DTO group and per logger class, and one helper file.</summary>
internal sealed class Inputs
{
    private Inputs(CSharpCompilation compilation, SyntaxTree helper, SyntaxTree edited, int annotatedMethods)
    {
        Compilation = compilation;
        Helper = helper;
        Edited = edited;
        AnnotatedMethods = annotatedMethods;
    }

    public CSharpCompilation Compilation { get; }

    /// <summary>A file with one method body and nothing the generators look at.</summary>
    public SyntaxTree Helper { get; }

    /// <summary>The interface whose template the template edit changes.</summary>
    public SyntaxTree Edited { get; }

    public int AnnotatedMethods { get; }

    public SyntaxTree EditedHelper(int value = 41) => Parse(HelperSource(value), Helper.FilePath);

    public SyntaxTree EditedTemplate(int value = 0) => Parse(InterfaceSource(0).Replace(":count\")", value == 0 ? ":total\")" : ":total" + value + "\")", StringComparison.Ordinal), Edited.FilePath);

    public static Inputs Create(int n)
    {
        var trees = new List<SyntaxTree>();
        for (var i = 0; i < n; i++)
        {
            trees.Add(Parse(InterfaceSource(i), $"Services/IService{i}.cs"));
            trees.Add(Parse(JsonSource(i), $"Json/Dto{i}.cs"));
            trees.Add(Parse(LoggingSource(i), $"Logging/Log{i}.cs"));
        }

        trees.Add(Parse(JsonContextSource(n), "Json/AppJson.cs"));
        var helper = Parse(HelperSource(42), "Helper.cs");
        trees.Add(helper);
        var compilation = CSharpCompilation.Create("Budget", trees, References.Value, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return new Inputs(compilation, helper, trees[0], n * 6);
    }

    private static SyntaxTree Parse(string source, string path) => CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path, Encoding.UTF8);

    // Realistic templates: a tenant prefix every service shares, a service segment, then the entity.
    private static string InterfaceSource(int i) => $$"""
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Caching;

        namespace Shop.Services{{i % 25}};

        public sealed record Profile{{i}}(string Id, string Name, int Visits);
        public sealed record Filter{{i}}(string Region, int Page);

        public interface IService{{i}}
        {
            [Cached("tenant:{tenantId}:svc{{i}}:user:{id}:profile", LocalTtl = "1m", RedisTtl = "10m")]
            Task<Profile{{i}}?> GetAsync(string tenantId, string id, CancellationToken ct = default);

            [Cached("tenant:{tenantId}:svc{{i}}:users:{status}:page:{page}")]
            Task<List<Profile{{i}}>> ListAsync(string tenantId, string status, int page);

            [Cached("tenant:{tenantId}:svc{{i}}:count")]
            Task<int> CountAsync(string tenantId);

            [Cached("tenant:{tenantId}:svc{{i}}:search:{filter.Region}:{filter.Page}")]
            Task<List<Profile{{i}}>> SearchAsync(string tenantId, Filter{{i}} filter);

            [InvalidatesCache("tenant:{tenantId}:svc{{i}}:user:{id}:*", "tenant:{tenantId}:svc{{i}}:users:*", "tenant:{tenantId}:svc{{i}}:count")]
            Task UpdateAsync(string tenantId, string id);

            [InvalidatesCache("tenant:{tenantId}:svc{{i}}:search:*")]
            Task ReindexAsync(string tenantId);
        }
        """;

    private static string JsonSource(int i) => $$"""
        namespace Shop.Json;

        public sealed record Dto{{i}}(string Id, string Name, int Count);
        """;

    private static string JsonContextSource(int n)
    {
        var text = new StringBuilder("using System.Text.Json.Serialization;\n\nnamespace Shop.Json;\n\n");
        for (var i = 0; i < n; i++)
        {
            text.Append("[JsonSerializable(typeof(Dto").Append(i).Append("))]\n");
        }

        return text.Append("public partial class AppJson : JsonSerializerContext;\n").ToString();
    }

    private static string LoggingSource(int i) => $$"""
        using Microsoft.Extensions.Logging;

        namespace Shop.Logging;

        public static partial class Log{{i}}
        {
            [LoggerMessage(1, LogLevel.Information, "Started {Name}")]
            public static partial void Started(ILogger logger, string name);

            [LoggerMessage(2, LogLevel.Warning, "Slow {Name} took {Elapsed} ms")]
            public static partial void Slow(ILogger logger, string name, double elapsed);

            [LoggerMessage(3, LogLevel.Error, "Failed {Name}")]
            public static partial void Failed(ILogger logger, System.Exception exception, string name);

            [LoggerMessage(4, LogLevel.Debug, "Cache {Key} hit")]
            public static partial void Hit(ILogger logger, string key);

            [LoggerMessage(5, LogLevel.Trace, "Done {Count}")]
            public static partial void Done(ILogger logger, int count);
        }
        """;

    private static string HelperSource(int value) => $$"""
        namespace Shop;

        public static class Helper
        {
            public static int Compute() => {{value}};
        }
        """;

    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return [.. paths.Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    });
}
