using System.CommandLine;
using Ticker.Client.Kite;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Silo.Commands;

/// <summary>The Kite connection options <c>feed --kite</c> and <c>record</c> share.</summary>
internal static class KiteCommandOptions
{
    /// <summary>The environment variable the API key is read from when <c>--api-key</c> is not given.</summary>
    public const string ApiKeyVariable = "KITE_API_KEY";

    /// <summary>The environment variable the access token is read from when <c>--access-token</c> is not given.</summary>
    public const string AccessTokenVariable = "KITE_ACCESS_TOKEN";

    /// <summary>The default value for <c>--instruments</c> with Kite: one connection's worth.</summary>
    public const int DefaultInstruments = KiteOptions.MaxInstrumentsPerConnection;

    /// <summary><c>--url URL</c>.</summary>
    public static Option<string?> Url() => new("--url")
    {
        Description = $"Kite ticker URL (default {KiteUrl.DefaultUrl}; e.g. ws://127.0.0.1:8765/ for ./ticker kite-mock).",
    };

    /// <summary><c>--api-key K</c>.</summary>
    public static Option<string?> ApiKey() => new("--api-key")
    {
        Description = $"Kite API key (default: ${ApiKeyVariable}).",
    };

    /// <summary><c>--access-token T</c>.</summary>
    public static Option<string?> AccessToken() => new("--access-token")
    {
        Description = $"Kite access token (default: ${AccessTokenVariable}); never printed.",
    };

    /// <summary><c>--mode ltp|quote|full</c>.</summary>
    public static Option<string> Mode() => new("--mode")
    {
        Description = "Streaming mode of every instrument: ltp, quote or full.",
        DefaultValueFactory = static _ => "quote",
    };

    /// <summary>Reads the credentials from the options or the environment; null with a message when one is missing.</summary>
    public static KiteCredentials? ResolveCredentials(string? apiKey, string? accessToken, out string? error)
    {
        apiKey = string.IsNullOrWhiteSpace(apiKey) ? Environment.GetEnvironmentVariable(ApiKeyVariable) : apiKey;
        accessToken = string.IsNullOrWhiteSpace(accessToken) ? Environment.GetEnvironmentVariable(AccessTokenVariable) : accessToken;
        error = string.IsNullOrWhiteSpace(apiKey) ? $"no API key: pass --api-key or set {ApiKeyVariable}"
            : string.IsNullOrWhiteSpace(accessToken) ? $"no access token: pass --access-token or set {AccessTokenVariable}"
            : null;
        return error is null ? new KiteCredentials(apiKey!.Trim(), accessToken!.Trim()) : null;
    }

    /// <summary>Parses <c>--mode</c>.</summary>
    public static bool TryParseMode(string? text, out TickMode mode) => KiteMessages.TryParseMode(text ?? "quote", out mode);

    /// <summary>The message printed when Kite refuses the credentials.</summary>
    public static string RefusedMessage(string command, string url) =>
        $"{command}: Kite refused the API key or access token (HTTP 403) at {KiteUrl.Redact(url)}. Check --api-key/--access-token "
        + $"or {ApiKeyVariable}/{AccessTokenVariable}; access tokens expire every day.";
}
