using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Caching.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Caching.AspNetCore;

/// <summary>
/// One request's part in the single flight of its key. It is the <c>GetOrSetAsync</c> state: when this request leads,
/// the cache calls <see cref="ExecuteAsync"/>, which runs the rest of the pipeline on this request's context with the
/// body captured, sends the headers, and returns the entry to share (or <see langword="null"/>: nothing shareable, so
/// the waiters run the endpoint themselves). The body goes out in <see cref="FinishAsync"/>, after the entry is stored.
/// </summary>
internal sealed class EndpointRun : ITierObserver, IAsyncDisposable
{
    private const int Waiting = 0;
    private const int Running = 1;
    private const int Abandoned = 2;

    private readonly HttpContext _context;
    private readonly ResponseCachePolicy _policy;
    private readonly string _key;
    private readonly RequestDelegate _next;
    private readonly int _maxBodyBytes;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LogEpisodes _logEpisodes;
    private int _state;
    private Task? _completion;
    private CapturingResponseBody? _capture;
    private ReadOnlyMemory<byte> _body;
    private ExceptionDispatchInfo? _failure;

    public EndpointRun(HttpContext context, ResponseCachePolicy policy, string key, RequestDelegate next, int maxBodyBytes, TimeProvider time, ILogger logger, LogEpisodes logEpisodes)
    {
        _context = context;
        _policy = policy;
        _key = key;
        _next = next;
        _maxBodyBytes = maxBodyBytes;
        _time = time;
        _logger = logger;
        _logEpisodes = logEpisodes;
    }

    /// <summary>Where the value came from; stays <see cref="CacheTier.Local"/> when the cache answered from L1 at once.</summary>
    public CacheTier Tier { get; private set; } = CacheTier.Local;

    /// <summary>True when the pipeline ran for this request (it led the flight): its response is already under way.</summary>
    public bool Ran => Volatile.Read(ref _state) == Running;

    void ITierObserver.Served(CacheTier tier) => Tier = tier;

    /// <summary>
    /// Called when this request's wait was cancelled. A flight that has not called the factory yet will not run the
    /// pipeline any more (the context is about to be recycled); one that has must end before the middleware returns.
    /// </summary>
    public Task AbandonAsync() =>
        Interlocked.CompareExchange(ref _state, Abandoned, Waiting) == Running ? Volatile.Read(ref _completion)! : Task.CompletedTask;

    /// <summary>The factory: runs the endpoint, answers this request's headers, returns what may be shared.</summary>
    public async ValueTask<CachedResponse?> ExecuteAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _completion, done.Task);
        if (Interlocked.CompareExchange(ref _state, Running, Waiting) != Waiting)
        {
            return null;
        }

        try
        {
            return await RunAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // Rethrown to this request by FinishAsync; the waiters see null and run the endpoint themselves, so one
            // failing or aborted client never fails the others.
            _failure = ExceptionDispatchInfo.Capture(exception);
            return null;
        }
        finally
        {
            done.SetResult();
        }
    }

    /// <summary>The opted-in revalidation: the endpoint runs for this request, and its response replaces the entry.</summary>
    public async ValueTask RefreshAsync(IMultiLayerCache cache)
    {
        var entry = await ExecuteAsync().ConfigureAwait(false);
        if (entry is null)
        {
            return;
        }

        try
        {
            await cache.SetAsync(_key, entry, _policy.EntryOptions, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.StoreFailed(_logger, _logEpisodes, _key, ex);
        }
    }

    /// <summary>Ends this request's own response: rethrows the endpoint's failure, or writes the held body.</summary>
    public async Task FinishAsync()
    {
        _failure?.Throw();
        if (_body.Length > 0)
        {
            await _context.Response.Body.WriteAsync(_body, _context.RequestAborted).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => _capture?.DisposeAsync() ?? ValueTask.CompletedTask;

    private async Task<CachedResponse?> RunAsync()
    {
        var request = _context.Request;
        var response = _context.Response;
        response.OnStarting(static state =>
        {
            var r = (HttpResponse)state;
            if (!r.Headers.ContainsKey(ResponseCacheMiddleware.XCache))
            {
                r.Headers[ResponseCacheMiddleware.XCache] = ResponseCacheMiddleware.Miss;
            }

            return Task.CompletedTask;
        }, response);

        // A HEAD that leads runs the endpoint as a GET (as Varnish fetches on a miss), so the entry it shares has the
        // body the GET waiters need; its own client still gets headers only, and nothing is streamed to it.
        var method = request.Method;
        var head = HttpMethods.IsHead(method);
        var original = _context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        var capture = _capture = new CapturingResponseBody(original, _maxBodyBytes, discardOverflow: head);
        _context.Features.Set<IHttpResponseBodyFeature>(capture);
        if (head)
        {
            request.Method = HttpMethods.Get;
        }

        try
        {
            await _next(_context).ConfigureAwait(false);
            await capture.FlushWriterAsync(_context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            if (head)
            {
                request.Method = method;
            }

            _context.Features.Set(original);
        }

        if (!capture.Complete)
        {
            Log.NotStored(_logger, _key, "the body was streamed (over MaxValueBytes, or the endpoint disabled buffering)");
            return null;
        }

        var body = capture.Buffered;
        var status = response.StatusCode;
        var reason = WhyNotStorable(status, response.Headers, _policy);
        string? etag = response.Headers.ETag;
        string[]? headers = null;
        if (reason is null)
        {
            if (string.IsNullOrEmpty(etag))
            {
                etag = ComputeETag(body.Span);
                response.Headers.ETag = etag;
            }

            headers = StoredHeaders.Capture(response.Headers, _policy.StoredHeaders);
        }

        if (!string.IsNullOrEmpty(etag) && status == StatusCodes.Status200OK && ResponseCacheMiddleware.IfNoneMatch(request, etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            response.ContentLength = null;
            response.Headers.ContentType = StringValues.Empty;
        }
        else
        {
            response.ContentLength = body.Length;
            _body = head ? default : body;
        }

        // The headers go out here, so every OnStarting callback has run (also those of middleware outside this one):
        // what they add, a Set-Cookie above all, is judged as the client receives it.
        await response.StartAsync(_context.RequestAborted).ConfigureAwait(false);
        reason ??= WhyNotStorable(status, response.Headers, _policy);
        if (reason is not null)
        {
            Log.NotStored(_logger, _key, reason);
            return null;
        }

        return new CachedResponse(status, headers!, body.ToArray(), etag!, _time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    private static string? WhyNotStorable(int status, IHeaderDictionary headers, ResponseCachePolicy policy)
    {
        if (status is < 200 or > 299 || status == StatusCodes.Status206PartialContent)
        {
            return $"status {status}";
        }

        if (headers.ContainsKey(HeaderNames.SetCookie))
        {
            return "the response sets a cookie";
        }

        if (CacheControlHeaderValue.TryParse(headers.CacheControl.ToString(), out var cacheControl)
            && (cacheControl.NoStore || cacheControl.Private || cacheControl.NoCache))
        {
            return "the response's Cache-Control forbids a shared cache";
        }

        foreach (var value in headers.Vary)
        {
            foreach (var name in (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (name == "*" || !policy.VaryByHeaders.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    return $"the response varies by '{name}', which the key does not include (add it with VaryByHeader)";
                }
            }
        }

        return null;
    }

    private static string ComputeETag(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(body, hash);
        return "\"" + Convert.ToHexStringLower(hash[..16]) + "\"";
    }
}
