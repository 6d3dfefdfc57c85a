using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Client.Kite;

/// <summary>
/// One Kite account (API key) to stream: its access token (given, or read from an environment variable or a file),
/// its instruments and their mode. Section <c>Kite:Accounts:N</c>. <see cref="ToString"/> never prints the token.
/// </summary>
public sealed class KiteAccountOptions
{
    /// <summary>The API key; it is also the account's id in <c>/api/accounts</c>.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>The access token itself (prefer <see cref="AccessTokenEnv"/> or <see cref="AccessTokenFile"/>).</summary>
    public string? AccessToken { get; set; }

    /// <summary>The name of an environment variable that holds the access token.</summary>
    public string? AccessTokenEnv { get; set; }

    /// <summary>A file whose content (trimmed) is the access token; read again at every reconnect.</summary>
    public string? AccessTokenFile { get; set; }

    /// <summary>Instrument tokens to stream.</summary>
    public List<uint> Instruments { get; set; } = [];

    /// <summary>Instruments picked from the master (added to <see cref="Instruments"/>).</summary>
    public KiteInstrumentFilter? InstrumentFilter { get; set; }

    /// <summary>The streaming mode of every instrument of the account: <c>ltp</c>, <c>quote</c> (default) or <c>full</c>.</summary>
    public TickMode Mode { get; set; } = TickMode.Quote;

    /// <summary>Where the access token comes from, without its value (for messages).</summary>
    public string AccessTokenSource =>
        AccessTokenEnv is { Length: > 0 } env ? $"environment variable {env}"
        : AccessTokenFile is { Length: > 0 } file ? $"file {file}"
        : AccessToken is { Length: > 0 } ? "AccessToken"
        : "nowhere";

    /// <summary>Reads the access token from its source.</summary>
    /// <param name="token">The token when found.</param>
    /// <param name="error">Why it was not found (names the source, never a value).</param>
    public bool TryResolveAccessToken([NotNullWhen(true)] out string? token, [NotNullWhen(false)] out string? error)
    {
        token = null;
        error = null;
        if (AccessTokenEnv is { Length: > 0 } env)
        {
            token = Environment.GetEnvironmentVariable(env)?.Trim();
            error = string.IsNullOrEmpty(token) ? $"environment variable {env} is not set or empty" : null;
        }
        else if (AccessTokenFile is { Length: > 0 } file)
        {
            try
            {
                token = File.ReadAllText(file).Trim();
                error = token.Length == 0 ? $"file {file} is empty" : null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                error = $"file {file} cannot be read: {ex.Message}";
            }
        }
        else if (AccessToken is { Length: > 0 } literal)
        {
            token = literal;
        }
        else
        {
            error = "no AccessToken, AccessTokenEnv or AccessTokenFile is set";
        }

        if (error is not null || token is null)
        {
            token = null;
            error ??= "no access token";
            return false;
        }

        return true;
    }

    /// <summary>The credentials of this account, reading the token from its source at every connect.</summary>
    public KiteCredentials ToCredentials() => new(ApiKey, () => TryResolveAccessToken(out var token, out var error)
        ? token
        : throw new InvalidOperationException($"Kite account {ApiKey}: {error}"));

    /// <summary>The account with its secret redacted.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"ApiKey={ApiKey}, AccessToken={(string.IsNullOrEmpty(AccessToken) ? "" : KiteUrl.Redacted)}, AccessTokenEnv={AccessTokenEnv}, AccessTokenFile={AccessTokenFile}, Instruments={Instruments.Count}, InstrumentFilter={InstrumentFilter}, Mode={Mode}");
}
