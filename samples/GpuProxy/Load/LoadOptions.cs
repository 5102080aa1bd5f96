using System.Globalization;

namespace GpuProxy.Load;

/// <summary>Arguments of <c>dotnet run --project samples/GpuProxy -- load</c>.</summary>
internal sealed class LoadOptions
{
    public Uri Target { get; private set; } = new("http://localhost:5000");

    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(20);

    public TimeSpan WarmUp { get; private set; } = TimeSpan.FromSeconds(30);

    public string? Out { get; private set; }

    public bool Reset { get; private set; }

    public int Concurrency { get; private set; } = 16;

    public int ColdSamples { get; private set; } = 40;

    public int Instances { get; private set; } = 1000;

    public int Users { get; private set; } = 500;

    public double WriteRatio { get; private set; } = 0.005;

    public double Skew { get; private set; } = 1.1;

    public string? ApiKey { get; private set; } = Environment.GetEnvironmentVariable("CACHE_ADMIN_API_KEY");

    public bool AllowRemote { get; private set; }

    public int Seed { get; private set; } = 7;

    public const string Usage = """
        Usage: dotnet run --project samples/GpuProxy -- load [options]
          --url URL           the running GpuProxy (default http://localhost:5000)
          --warmup 30s        unmeasured warm-up before the measured phase (same traffic; reported on its own)
          --duration 20s      length of the measured phase
          --out results.json  also write every number as JSON, and the latency picture beside it (results.png)
          --reset             put the seeded data back first (POST /api/admin/reset), not only drop the cache
          --concurrency 16    parallel clients
          --cold 40           requests per endpoint measured against the source (after invalidating the cache)
          --instances 1000    seeded instance count (ids gpu-00001...)   --users 500   seeded user count
          --write-ratio 0.005 share of requests that write (and so invalidate)
          --skew 1.1          Zipf exponent of key popularity
          --api-key KEY       X-Api-Key for the invalidation endpoint (default: env CACHE_ADMIN_API_KEY, else the dev key)
          --seed 7            random seed
          --allow-remote      allow a target that is not this machine
        """;

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LoadOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--url":
                    options.Target = new Uri(Value(), UriKind.Absolute);
                    break;
                case "--duration":
                    options.Duration = ParseDuration(Value());
                    break;
                case "--warmup":
                    var warmUp = Value();
                    options.WarmUp = warmUp is "0" or "0s" ? TimeSpan.Zero : ParseDuration(warmUp);
                    break;
                case "--out":
                    options.Out = Value();
                    break;
                case "--reset":
                    options.Reset = true;
                    break;
                case "--concurrency":
                    options.Concurrency = Positive(Value(), "--concurrency");
                    break;
                case "--cold":
                    options.ColdSamples = Positive(Value(), "--cold");
                    break;
                case "--instances":
                    options.Instances = Positive(Value(), "--instances");
                    break;
                case "--users":
                    options.Users = Positive(Value(), "--users");
                    break;
                case "--write-ratio":
                    options.WriteRatio = double.Parse(Value(), CultureInfo.InvariantCulture);
                    break;
                case "--skew":
                    options.Skew = double.Parse(Value(), CultureInfo.InvariantCulture);
                    break;
                case "--api-key":
                    options.ApiKey = Value();
                    break;
                case "--seed":
                    options.Seed = int.Parse(Value(), CultureInfo.InvariantCulture);
                    break;
                case "--allow-remote":
                    options.AllowRemote = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        if (options.WriteRatio is < 0 or > 1 || options.Skew <= 0)
        {
            throw new ArgumentException("--write-ratio must be within [0, 1] and --skew positive.");
        }

        return options;
    }

    private static int Positive(string text, string name) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : throw new ArgumentException($"{name} must be a positive whole number.");

    private static TimeSpan ParseDuration(string text)
    {
        var minutes = text.EndsWith('m');
        var number = minutes || text.EndsWith('s') ? text[..^1] : text;
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            throw new ArgumentException($"--duration '{text}' is not a duration such as 20s or 2m.");
        }

        return minutes ? TimeSpan.FromMinutes(value) : TimeSpan.FromSeconds(value);
    }
}
