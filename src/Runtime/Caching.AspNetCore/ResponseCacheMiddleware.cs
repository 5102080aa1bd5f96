using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Caching.AspNetCore;

/// <summary>
/// Serves and stores whole responses of endpoints that carry a <see cref="ResponseCachePolicy"/>. The rules, in order:
/// only GET and HEAD; a request with credentials (Authorization, Cookie, an authenticated user) bypasses unless the policy has a per-user key;
/// <c>Cache-Control: no-store</c> bypasses, <c>no-cache</c> skips the lookup and refreshes the entry; only complete 2xx
/// responses (not 206) up to the body limit (<see cref="MultiLayerResponseCacheOptions.MaxValueBytes"/>) without Set-Cookie,
/// <c>private</c>/<c>no-store</c>/<c>no-cache</c>, or a <c>Vary</c> the key does not cover are stored.
/// </summary>
internal sealed class ResponseCacheMiddleware
{
    public const string XCache = "X-Cache";
    public const string HitLocal = "HIT-LOCAL";
    public const string HitRedis = "HIT-REDIS";
    public const string Miss = "MISS";

    // Headers that describe one transmission, not the resource, or that the middleware writes itself.
    private static readonly HashSet<string> NotKept = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.Age, HeaderNames.Connection, HeaderNames.ContentLength, HeaderNames.Date, HeaderNames.ETag,
        HeaderNames.KeepAlive, HeaderNames.ProxyAuthenticate, HeaderNames.Server, HeaderNames.SetCookie,
        HeaderNames.Trailer, HeaderNames.TransferEncoding, HeaderNames.Upgrade, XCache,
    };

    // What a 304 may repeat from the stored response (RFC 9110 15.4.5).
    private static readonly string[] NotModifiedHeaders =
        [HeaderNames.CacheControl, HeaderNames.ContentLocation, HeaderNames.Expires, HeaderNames.Vary];

    private readonly RequestDelegate _next;
    private readonly IMultiLayerCache _cache;
    private readonly MultiLayerResponseCacheOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly int _maxBodyBytes;

    public ResponseCacheMiddleware(RequestDelegate next, IMultiLayerCache cache, IOptions<MultiLayerResponseCacheOptions> options, ILogger<ResponseCacheMiddleware> logger, MultiLayerCacheOptions? cacheOptions = null, TimeProvider? time = null)
    {
        _next = next;
        _cache = cache;
        _options = options.Value;
        _maxBodyBytes = _options.MaxValueBytes ?? cacheOptions?.MaxValueBytes ?? 1024 * 1024;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var policy = context.GetEndpoint()?.Metadata.GetMetadata<IResponseCachePolicyMetadata>()?.Policy;
        if (policy is null)
        {
            return _next(context);
        }

        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return _next(context);
        }

        var requestCacheControl = request.GetTypedHeaders().CacheControl;
        if (requestCacheControl?.NoStore == true)
        {
            return Bypass(context, "the request says no-store");
        }

        string? user = null;
        // Credentials can travel in custom headers too (API keys, client certificates): an authenticated user counts.
        var hasCredentials = request.Headers.ContainsKey(HeaderNames.Authorization)
            || request.Headers.ContainsKey(HeaderNames.Cookie)
            || context.User.Identity?.IsAuthenticated == true;
        if (policy.UserKey is not null)
        {
            user = policy.UserKey(context);
            if (user is null)
            {
                return Bypass(context, "the per-user key gave no user");
            }
        }
        else if (hasCredentials)
        {
            return Bypass(context, "the request carries credentials and the endpoint has no per-user key");
        }

        var key = ResponseCacheKey.Build(context, policy, _options.KeyPrefix, user);
        if (key is null)
        {
            return Bypass(context, "the key builder returned null");
        }

        var revalidate = requestCacheControl is { NoCache: true } or { MaxAge.Ticks: 0 }
            || request.Headers.Pragma.Any(p => string.Equals(p, "no-cache", StringComparison.OrdinalIgnoreCase));
        return HandleAsync(context, policy, key, revalidate);
    }

    private async Task HandleAsync(HttpContext context, ResponseCachePolicy policy, string key, bool revalidate)
    {
        if (!revalidate)
        {
            CacheResult<CachedResponse> found = default;
            try
            {
                found = await _cache.GetAsync<CachedResponse>(key, policy.EntryOptions, context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.LookupFailed(_logger, key, ex);
            }

            if (found is { Found: true, Value: not null })
            {
                await ServeAsync(context, found.Value, found.Tier == CacheTier.Redis ? HitRedis : HitLocal).ConfigureAwait(false);
                return;
            }
        }

        var response = context.Response;
        response.OnStarting(static state =>
        {
            var r = (HttpResponse)state;
            if (!r.Headers.ContainsKey(XCache))
            {
                r.Headers[XCache] = Miss;
            }

            return Task.CompletedTask;
        }, response);

        if (HttpMethods.IsHead(context.Request.Method))
        {
            // A HEAD response has no body to store; it is served from GET's entries only.
            await _next(context).ConfigureAwait(false);
            return;
        }

        var original = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        var capture = new CapturingResponseBody(original, _maxBodyBytes);
        await using (capture.ConfigureAwait(false))
        {
            context.Features.Set<IHttpResponseBodyFeature>(capture);
            try
            {
                await _next(context).ConfigureAwait(false);
                await capture.FlushWriterAsync(context.RequestAborted).ConfigureAwait(false);
            }
            finally
            {
                context.Features.Set(original);
            }

            if (capture.PassedThrough)
            {
                Log.NotStored(_logger, key, "the body was streamed (over MaxValueBytes, or the endpoint disabled buffering)");
                return;
            }

            await FinishMissAsync(context, policy, key, capture.Buffered).ConfigureAwait(false);
        }
    }

    private async Task FinishMissAsync(HttpContext context, ResponseCachePolicy policy, string key, ReadOnlyMemory<byte> body)
    {
        var response = context.Response;
        var reason = WhyNotStorable(response, policy);
        string? etag = response.Headers.ETag;
        if (reason is null)
        {
            if (string.IsNullOrEmpty(etag))
            {
                etag = ComputeETag(body.Span);
                response.Headers.ETag = etag;
            }

            var entry = new CachedResponse(response.StatusCode, KeptHeaders(response.Headers), body.ToArray(), etag, _time.GetUtcNow().ToUnixTimeMilliseconds());
            try
            {
                // Stored before the body goes out, so a client that asks again right after the response sees the entry.
                await _cache.SetAsync(key, entry, policy.EntryOptions, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.StoreFailed(_logger, key, ex);
            }
        }
        else
        {
            Log.NotStored(_logger, key, reason);
        }

        if (!string.IsNullOrEmpty(etag) && response.StatusCode == StatusCodes.Status200OK && IfNoneMatch(context.Request, etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            response.ContentLength = null;
            response.Headers.ContentType = StringValues.Empty;
            return;
        }

        response.ContentLength = body.Length;
        if (body.Length > 0)
        {
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private async Task ServeAsync(HttpContext context, CachedResponse entry, string xCache)
    {
        var response = context.Response;
        var headers = response.Headers;
        var age = Math.Max(0, (_time.GetUtcNow().ToUnixTimeMilliseconds() - entry.StoredAtUnixMs) / 1000);
        headers[XCache] = xCache;
        headers.ETag = entry.ETag;
        headers.Age = age.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (entry.StatusCode == StatusCodes.Status200OK && IfNoneMatch(context.Request, entry.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            for (var i = 0; i + 1 < entry.Headers.Length; i += 2)
            {
                if (NotModifiedHeaders.Contains(entry.Headers[i], StringComparer.OrdinalIgnoreCase))
                {
                    headers.Append(entry.Headers[i], entry.Headers[i + 1]);
                }
            }

            return;
        }

        response.StatusCode = entry.StatusCode;
        for (var i = 0; i + 1 < entry.Headers.Length; i += 2)
        {
            headers.Append(entry.Headers[i], entry.Headers[i + 1]);
        }

        response.ContentLength = entry.Body.Length;
        if (!HttpMethods.IsHead(context.Request.Method) && entry.Body.Length > 0)
        {
            await response.Body.WriteAsync(entry.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private Task Bypass(HttpContext context, string reason)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            Log.Bypassed(_logger, context.Request.Path.Value ?? "/", reason);
        }

        return _next(context);
    }

    private static string? WhyNotStorable(HttpResponse response, ResponseCachePolicy policy)
    {
        var status = response.StatusCode;
        if (status is < 200 or > 299 || status == StatusCodes.Status206PartialContent)
        {
            return $"status {status}";
        }

        if (response.Headers.ContainsKey(HeaderNames.SetCookie))
        {
            return "the response sets a cookie";
        }

        var cacheControl = response.GetTypedHeaders().CacheControl;
        if (cacheControl is not null && (cacheControl.NoStore || cacheControl.Private || cacheControl.NoCache))
        {
            return "the response's Cache-Control forbids a shared cache";
        }

        foreach (var value in response.Headers.Vary)
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

    private static string[] KeptHeaders(IHeaderDictionary headers)
    {
        var kept = new List<string>(headers.Count * 2);
        foreach (var (name, values) in headers)
        {
            if (NotKept.Contains(name))
            {
                continue;
            }

            foreach (var value in values)
            {
                kept.Add(name);
                kept.Add(value ?? string.Empty);
            }
        }

        return [.. kept];
    }

    private static string ComputeETag(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(body, hash);
        return "\"" + Convert.ToHexStringLower(hash[..16]) + "\"";
    }

    private static bool IfNoneMatch(HttpRequest request, string etag)
    {
        var values = request.Headers.IfNoneMatch;
        if (values.Count == 0
            || !EntityTagHeaderValue.TryParse(etag, out var stored)
            || !EntityTagHeaderValue.TryParseList(values, out var candidates))
        {
            return false;
        }

        foreach (var candidate in candidates)
        {
            // If-None-Match uses the weak comparison (RFC 9110 13.1.2).
            if (candidate.Equals(EntityTagHeaderValue.Any) || candidate.Compare(stored, useStrongComparison: false))
            {
                return true;
            }
        }

        return false;
    }
}
