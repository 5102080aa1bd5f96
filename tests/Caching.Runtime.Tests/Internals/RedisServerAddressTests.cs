using Caching.Internal;

namespace Caching.Runtime.Tests.Internals;

/// <summary>The server.address / server.port of the Redis spans, read from the configuration string's first endpoint.</summary>
public sealed class RedisServerAddressTests
{
    [Theory]
    [InlineData("localhost:6379", "localhost", 6379)]
    [InlineData("127.0.0.1:6390", "127.0.0.1", 6390)]
    [InlineData("redis.internal", "redis.internal", null)]
    [InlineData("[::1]:6379", "::1", 6379)]
    [InlineData("[::1]", "::1", null)]
    [InlineData("::1", "::1", null)]
    [InlineData(" cache:notaport ", "cache", null)]
    public void Host_and_port_are_read_from_every_endpoint_form(string endpoint, string host, int? port)
    {
        var address = RedisServerAddress.Parse(endpoint);

        Assert.Equal(host, address.Host);
        Assert.Equal(port, address.Port);
    }
}
