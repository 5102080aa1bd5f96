using System.Diagnostics;
using System.Globalization;

namespace Caching.Testing;

/// <summary>A real three-primary Redis Cluster on 127.0.0.1, created with <c>redis-cli --cluster create</c>.</summary>
public sealed class RedisCluster : IAsyncDisposable
{
    private readonly List<RedisServer> _nodes = [];

    public RedisCluster(int primaries = 3)
    {
        for (var i = 0; i < primaries; i++)
        {
            var port = RedisServer.FreePort();
            _nodes.Add(new RedisServer(port, "--cluster-enabled", "yes", "--cluster-config-file", $"nodes-{port}.conf", "--cluster-node-timeout", "2000"));
        }

        var info = new ProcessStartInfo(Path.Combine(Path.GetDirectoryName(RedisServer.Executable)!, "redis-cli"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--cluster");
        info.ArgumentList.Add("create");
        foreach (var node in _nodes)
        {
            info.ArgumentList.Add(node.Endpoint);
        }

        info.ArgumentList.Add("--cluster-replicas");
        info.ArgumentList.Add("0");
        info.ArgumentList.Add("--cluster-yes");
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 || !output.Contains("All 16384 slots covered", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("redis-cli --cluster create failed: " + output);
        }

        WaitForClusterOk();
    }

    public IReadOnlyList<RedisServer> Nodes => _nodes;

    public string ConnectionString => string.Join(',', _nodes.Select(n => n.Endpoint)) + ",abortConnect=false,connectTimeout=2000,syncTimeout=2000,asyncTimeout=2000";

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    private void WaitForClusterOk()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var ok = _nodes.All(node =>
            {
                var info = node.ExecuteAsync("CLUSTER", "INFO").GetAwaiter().GetResult().ToString();
                return info.Contains("cluster_state:ok", StringComparison.Ordinal);
            });
            if (ok)
            {
                return;
            }

            Thread.Sleep(200);
        }

        throw new TimeoutException("The cluster did not reach cluster_state:ok within 30 s (" + string.Join(", ", _nodes.Select(n => n.Port.ToString(CultureInfo.InvariantCulture))) + ").");
    }
}
