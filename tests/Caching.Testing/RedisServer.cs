using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Caching.Testing;

/// <summary>
/// A real <c>redis-server</c> process on 127.0.0.1 and a free port, with persistence off and its data in a
/// temporary folder. Tests that need Redis fail (never skip) when the binary is missing: CI must not go green
/// without them. <see cref="Stop"/> and <see cref="Start"/> simulate an outage on the same port.
/// </summary>
public sealed class RedisServer : IAsyncDisposable, IDisposable
{
    private readonly string _directory;
    private readonly string[] _extraArguments;
    private Process? _process;

    public RedisServer(params string[] extraArguments)
        : this(FreePort(), extraArguments)
    {
    }

    public RedisServer(int port, params string[] extraArguments)
    {
        Port = port;
        _extraArguments = extraArguments;
        _directory = Path.Combine(Path.GetTempPath(), "caching-redis-" + port + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_directory);
        Start();
    }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>A configuration string for StackExchange.Redis that gives up quickly when the server is down.</summary>
    public string ConnectionString => $"{Endpoint},abortConnect=false,connectTimeout=2000,syncTimeout=2000,asyncTimeout=2000";

    public bool IsRunning => _process is { HasExited: false };

    public static string Executable
    {
        get
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("REDIS_SERVER_PATH");
            if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(fromEnvironment))
            {
                return fromEnvironment;
            }

            foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
            {
                var candidate = Path.Combine(directory, "redis-server");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            foreach (var candidate in new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server", "/usr/sbin/redis-server" })
            {
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new InvalidOperationException(
                "redis-server was not found (PATH, REDIS_SERVER_PATH). Install it (Debian: apt-get install redis-server) or run ./build.sh test, which does.");
        }
    }

    public void Start()
    {
        if (IsRunning)
        {
            return;
        }

        var arguments = new List<string>
        {
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--save", string.Empty,
            "--appendonly", "no",
            "--dir", _directory,
            "--daemonize", "no",
            "--protected-mode", "yes",
            "--enable-debug-command", "local",
            "--loglevel", "warning",
        };
        arguments.AddRange(_extraArguments);
        var info = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitUntilReady();
    }

    /// <summary>Kills the server (an abrupt outage: connections drop, the port refuses).</summary>
    public void Stop()
    {
        if (_process is null)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        _process = null;
    }

    /// <summary>How many times the server ran <paramref name="command"/> (lower case, as INFO commandstats names it).</summary>
    public async Task<long> CommandCallsAsync(string command)
    {
        var stats = (string)(await ExecuteAsync("INFO", "commandstats").ConfigureAwait(false))!;
        var line = stats.Split('\n').FirstOrDefault(l => l.StartsWith("cmdstat_" + command + ":", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split("calls=")[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs a command on a short-lived connection (for test setup: FLUSHALL, DEBUG SLEEP, CONFIG SET...).</summary>
    public async Task<RedisResult> ExecuteAsync(string command, params object[] arguments)
    {
        await using var connection = await ConnectAsync();
        return await connection.GetDatabase().ExecuteAsync(command, arguments);
    }

    /// <summary>Opens a connection for direct inspection of the server's contents.</summary>
    public Task<ConnectionMultiplexer> ConnectAsync() => ConnectionMultiplexer.ConnectAsync(AdminConnectionString);

    /// <summary>Patient settings for test setup (a DEBUG SLEEP must not time out the connection that sent it); no tie-breaker
    /// key, whose GET at connect would show in <see cref="CommandCallsAsync"/>.</summary>
    public string AdminConnectionString => $"{Endpoint},abortConnect=false,connectTimeout=5000,syncTimeout=15000,asyncTimeout=15000,allowAdmin=true,tiebreaker=";

    /// <summary>Makes the server unresponsive for <paramref name="duration"/> (DEBUG SLEEP) and returns once it is asleep.</summary>
    public async Task<Task> SleepAsync(TimeSpan duration)
    {
        var connection = await ConnectAsync();
        var sleeping = connection.GetDatabase().ExecuteAsync("DEBUG", "SLEEP", duration.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture));

        // Return only once the server really stopped answering (a loaded machine may deliver the command late).
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline && await AnswersPingAsync(TimeSpan.FromMilliseconds(150)))
        {
            await Task.Delay(10);
        }

        return sleeping.ContinueWith(_ => connection.Dispose(), TaskScheduler.Default);
    }

    private async Task<bool> AnswersPingAsync(TimeSpan within)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[16];
            return await stream.ReadAsync(buffer, timeout.Token) > 0;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        Stop();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void WaitUntilReady()
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode} while starting on port {Port}.");
            }

            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                using var stream = client.GetStream();
                stream.Write("PING\r\n"u8);
                var buffer = new byte[64];
                var read = stream.Read(buffer, 0, buffer.Length);
                var reply = read > 0 ? System.Text.Encoding.ASCII.GetString(buffer, 0, read) : string.Empty;

                // A server started with --requirepass answers NOAUTH: it is up, it only wants the password.
                if (reply.StartsWith("+PONG", StringComparison.Ordinal) || reply.StartsWith("-NOAUTH", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (SocketException)
            {
            }
            catch (IOException)
            {
            }

            Thread.Sleep(50);
        }

        throw new TimeoutException($"redis-server did not answer PING on port {Port} within 15 s.");
    }
}
