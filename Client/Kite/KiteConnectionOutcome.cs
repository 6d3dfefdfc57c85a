namespace Ticker.Client.Kite;

/// <summary>Why <see cref="KiteConnection.RunAsync"/> returned. It never throws for a network problem.</summary>
public enum KiteConnectionOutcome
{
    /// <summary>Cancelled by the caller (the normal end).</summary>
    Cancelled = 0,

    /// <summary>Kite refused the API key or access token and <see cref="KiteReconnectOptions.RetryRejectedAfter"/> is 0.</summary>
    CredentialsRejected = 1,

    /// <summary><see cref="KiteReconnectOptions.MaxAttempts"/> failed attempts in a row.</summary>
    GaveUp = 2,
}
