using Caching.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Caching.AspNetCore;

/// <summary>
/// Serves and stores whole responses of endpoints that carry a <see cref="ResponseCachePolicy"/>. The rules, in order:
/// only GET and HEAD (HEAD shares GET's entries); a request with credentials (Authorization, Cookie, an authenticated
/// user) bypasses unless the policy has a per-user key; the request's own cache directives are ignored unless the policy
/// honours them (<see cref="ResponseCachePolicy.HonorsClientCacheControl"/>). A miss joins the cache's single flight
/// for its key: one request runs the endpoint, the others wait and share its response. Only complete 2xx responses
/// (not 206) up to the body limit (<see cref="MultiLayerResponseCacheOptions.MaxValueBytes"/>) are stored, and only
/// when, as sent, they carry no Set-Cookie, no <c>private</c>/<c>no-store</c>/<c>no-cache</c>, and no <c>Vary</c> the
/// key does not cover; of their headers only an allow-list is kept (see <see cref="StoredHeaders"/>).
/// </summary>
internal sealed class ResponseCacheMiddleware
{
    public const string XCache = "X-Cache";
    public const string HitLocal = "HIT-LOCAL";
    public const string HitRedis = "HIT-REDIS";
    public const string Miss = "MISS";

    // What a 304 may repeat from the stored response (RFC 9110 15.4.5).
    private static readonly string[] NotModifiedHeaders =
        [HeaderNames.CacheControl, HeaderNames.ContentLocation, HeaderNames.Expires, HeaderNames.Vary];

    private readonly RequestDelegate _next;
    private readonly IMultiLayerCache _cache;
    private readonly MultiLayerResponseCacheOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly LogEpisodes _logEpisodes;
    private readonly int _maxBodyBytes;

    public ResponseCacheMiddleware(RequestDelegate next, IMultiLayerCache cache, IOptions<MultiLayerResponseCacheOptions> options, ILogger<ResponseCacheMiddleware> logger, MultiLayerCacheOptions? cacheOptions = null, TimeProvider? time = null)
    {
        _next = next;
        _cache = cache;
        _options = options.Value;
        _maxBodyBytes = _options.MaxValueBytes ?? cacheOptions?.MaxValueBytes ?? 1024 * 1024;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _logEpisodes = new LogEpisodes(_time);
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

        var requestCacheControl = request.Headers.CacheControl.Count > 0 ? request.GetTypedHeaders().CacheControl : null;
        if (!policy.HonorsClientCacheControl)
        {
            // no-store forbids storing what this request gets, not answering it from what is stored (RFC 9111 5.2.1.5).
            return requestCacheControl?.NoStore == true ? ServeOrRunAsync(context, policy, key) : HandleAsync(context, policy, key, revalidate: false);
        }

        if (requestCacheControl?.NoStore == true)
        {
            return Bypass(context, "the request says no-store");
        }

        var revalidate = requestCacheControl is { NoCache: true } or { MaxAge.Ticks: 0 }
            || request.Headers.Pragma.Any(p => string.Equals(p, "no-cache", StringComparison.OrdinalIgnoreCase));
        return HandleAsync(context, policy, key, revalidate);
    }

    private async Task HandleAsync(HttpContext context, ResponseCachePolicy policy, string key, bool revalidate)
    {
        var run = new EndpointRun(context, policy, key, _next, _maxBodyBytes, _time, _logger, _logEpisodes);
        await using (run.ConfigureAwait(false))
        {
            CachedResponse? entry = null;
            try
            {
                if (revalidate)
                {
                    await run.RefreshAsync(_cache).ConfigureAwait(false);
                }
                else
                {
                    entry = await _cache.GetOrSetAsync(key, run, static (r, _) => r.ExecuteAsync(), policy.EntryOptions, context.RequestAborted).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                // This request stopped waiting; if it leads, the pipeline runs on its context and must end first.
                await run.AbandonAsync().ConfigureAwait(false);
                throw;
            }
            catch (Exception ex) when (!run.Ran)
            {
                Log.LookupFailed(_logger, _logEpisodes, key, ex);
                await _next(context).ConfigureAwait(false);
                return;
            }
            catch (Exception ex)
            {
                // Past the endpoint: its response goes out uncached.
                Log.StoreFailed(_logger, _logEpisodes, key, ex);
            }

            if (run.Ran)
            {
                await run.FinishAsync().ConfigureAwait(false);
                return;
            }

            if (entry is null)
            {
                // The run this request waited for had nothing to share (not storable, streamed, failed): one client's
                // response is never handed to another, so this one gets its own.
                await RunUnsharedAsync(context).ConfigureAwait(false);
                return;
            }

            // A response shared from a run that started when the key was cold is a miss: the endpoint ran for it.
            await ServeAsync(context, entry, run.Tier switch { CacheTier.Redis => HitRedis, CacheTier.Source => Miss, _ => HitLocal }).ConfigureAwait(false);
        }
    }

    // A request that asked not to be stored: answered from an entry when there is one, else by its own run.
    private async Task ServeOrRunAsync(HttpContext context, ResponseCachePolicy policy, string key)
    {
        CacheResult<CachedResponse> found = default;
        try
        {
            found = await _cache.GetAsync<CachedResponse>(key, policy.EntryOptions, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.LookupFailed(_logger, _logEpisodes, key, ex);
        }

        if (found is { Found: true, Value: not null })
        {
            await ServeAsync(context, found.Value, found.Tier == CacheTier.Redis ? HitRedis : HitLocal).ConfigureAwait(false);
            return;
        }

        await RunUnsharedAsync(context).ConfigureAwait(false);
    }

    private Task RunUnsharedAsync(HttpContext context)
    {
        context.Response.Headers[XCache] = Miss;
        return _next(context);
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

    internal static bool IfNoneMatch(HttpRequest request, string etag)
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
