using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Caching;
using Caching.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the cache invalidation endpoint.</summary>
public static class CacheInvalidationEndpoint
{
    private const int MaxBodyBytes = 16 * 1024;

    /// <summary>
    /// Maps <c>POST {route}</c> taking <c>{"pattern":"user:42:*"}</c> (a glob over cache keys: <c>*</c> and <c>?</c>) or
    /// <c>{"tag":"gpu:instances"}</c>, and invalidating it on every tier and node. Answers 200 with the number of Redis keys
    /// a SCAN removed (0 for a tag or a segment-prefix pattern, which are voided by one mark), 400 with a reason for a bad body or pattern, and 401 without an authenticated caller: the endpoint always
    /// requires authorization (chain <c>.RequireAuthorization("policy")</c> to name the policy), so it is never open by omission.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="route">The route (default <c>/api/cache/invalidate</c>).</param>
    public static IEndpointConventionBuilder MapCacheInvalidation(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string route = "/api/cache/invalidate")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapPost(route, HandleAsync).RequireAuthorization().WithDisplayName("Cache invalidation");
    }

    private static async Task HandleAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated != true)
        {
            // Reached only if the app removed the authorization requirement; fail closed anyway.
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var (pattern, tag, problem) = await ReadRequestAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        if (problem is not null)
        {
            await WriteProblemAsync(context.Response, problem, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var cache = context.RequestServices.GetRequiredService<IMultiLayerCache>();
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CacheInvalidationEndpoint).FullName!);
        var removed = pattern is not null
            ? await cache.InvalidatePatternAsync(pattern, context.RequestAborted).ConfigureAwait(false)
            : await cache.RemoveByTagAsync(tag!, context.RequestAborted).ConfigureAwait(false);
        Log.Invalidated(logger, pattern is not null ? "pattern" : "tag", removed);
        Log.InvalidatedTarget(logger, pattern is not null ? "pattern" : "tag", pattern ?? tag!, removed);

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString(pattern is not null ? "pattern" : "tag", pattern ?? tag);
        json.WriteNumber("removed", removed);
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<(string? Pattern, string? Tag, string? Problem)> ReadRequestAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, null, $"The body is larger than {MaxBodyBytes} bytes.");
        }

        JsonDocument document;
        try
        {
            // Read at most one byte past the limit: a chunked body declares no length up front.
            var buffer = new byte[MaxBodyBytes + 1];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
            }

            if (length == 0)
            {
                return (null, null, "The body is empty; send {\"pattern\":\"...\"} or {\"tag\":\"...\"}.");
            }

            if (length > MaxBodyBytes)
            {
                return (null, null, $"The body is larger than {MaxBodyBytes} bytes.");
            }

            document = JsonDocument.Parse(buffer.AsMemory(0, length));
        }
        catch (JsonException ex)
        {
            return (null, null, "The body is not valid JSON: " + ex.Message);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, null, "The body must be a JSON object: {\"pattern\":\"...\"} or {\"tag\":\"...\"}.");
            }

            string? pattern = null;
            string? tag = null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var isPattern = string.Equals(property.Name, "pattern", StringComparison.OrdinalIgnoreCase);
                var isTag = !isPattern && string.Equals(property.Name, "tag", StringComparison.OrdinalIgnoreCase);
                if (!isPattern && !isTag)
                {
                    return (null, null, $"Unknown property '{property.Name}'; send \"pattern\" or \"tag\".");
                }

                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    return (null, null, $"\"{property.Name}\" must be a string.");
                }

                if (isPattern)
                {
                    pattern = property.Value.GetString();
                }
                else
                {
                    tag = property.Value.GetString();
                }
            }

            if (pattern is not null && tag is not null)
            {
                return (null, null, "Send either \"pattern\" or \"tag\", not both.");
            }

            if (pattern is not null)
            {
                return CacheKey.IsValidPattern(pattern, out var reason) ? (pattern, null, null) : (null, null, "Invalid pattern: " + reason);
            }

            if (tag is not null)
            {
                return string.IsNullOrWhiteSpace(tag) || tag.Any(char.IsControl)
                    ? (null, null, "The tag is empty or contains control characters.")
                    : (null, tag, null);
            }

            return (null, null, "Send {\"pattern\":\"...\"} or {\"tag\":\"...\"}.");
        }
    }

    private static async Task WriteProblemAsync(HttpResponse response, string detail, CancellationToken cancellationToken)
    {
        response.StatusCode = StatusCodes.Status400BadRequest;
        response.ContentType = "application/problem+json; charset=utf-8";
        await using var json = new Utf8JsonWriter(response.Body);
        json.WriteStartObject();
        json.WriteString("title", "Invalid cache invalidation request");
        json.WriteNumber("status", StatusCodes.Status400BadRequest);
        json.WriteString("detail", detail);
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
