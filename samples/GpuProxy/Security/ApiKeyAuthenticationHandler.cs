using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace GpuProxy.Security;

/// <summary>Settings of the API-key scheme.</summary>
public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>The key callers must send in <see cref="ApiKeyAuthenticationHandler.HeaderName"/>; empty disables the scheme (every call is refused).</summary>
    public string? ApiKey { get; set; }
}

/// <summary>
/// Authenticates an operator by a shared key in the <c>X-Api-Key</c> header. Enough to guard the sample's cache
/// invalidation endpoint; a real deployment would use its identity provider.
/// </summary>
/// <param name="options">Scheme options.</param>
/// <param name="logger">Logger factory.</param>
/// <param name="encoder">URL encoder.</param>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<ApiKeyAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>The request header carrying the key.</summary>
    public const string HeaderName = "X-Api-Key";

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var sent) || string.IsNullOrEmpty(sent))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (string.IsNullOrEmpty(Options.ApiKey))
        {
            return Task.FromResult(AuthenticateResult.Fail("No API key is configured (CACHE_ADMIN_API_KEY)."));
        }

        // Fixed-time comparison: the time to refuse a key says nothing about how much of it was right.
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(Options.ApiKey));
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(sent.ToString()));
        if (!CryptographicOperations.FixedTimeEquals(expected, actual))
        {
            return Task.FromResult(AuthenticateResult.Fail("Invalid API key."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "cache-admin"), new Claim(ClaimTypes.Role, "cache-admin")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    /// <inheritdoc />
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        return base.HandleChallengeAsync(properties);
    }
}
