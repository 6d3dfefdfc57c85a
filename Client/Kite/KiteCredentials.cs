namespace Ticker.Client.Kite;

/// <summary>
/// An API key and where its access token comes from. The token is read at every connect (so a refreshed token file
/// is picked up) and never printed: <see cref="ToString"/> redacts it.
/// </summary>
public sealed class KiteCredentials
{
    private readonly Func<string> _accessToken;

    /// <summary>Credentials with a fixed access token.</summary>
    public KiteCredentials(string apiKey, string accessToken)
        : this(apiKey, () => accessToken)
    {
    }

    /// <summary>Credentials whose access token is read from <paramref name="accessToken"/> at every connect.</summary>
    public KiteCredentials(string apiKey, Func<string> accessToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        ArgumentNullException.ThrowIfNull(accessToken);
        ApiKey = apiKey;
        _accessToken = accessToken;
    }

    /// <summary>The API key (the account id).</summary>
    public string ApiKey { get; }

    /// <summary>Reads the access token; throws <see cref="InvalidOperationException"/> when its source has none.</summary>
    public string ResolveAccessToken() => _accessToken();

    /// <inheritdoc />
    public override string ToString() => $"api_key={ApiKey}, access_token={KiteUrl.Redacted}";
}
