using System.Globalization;

namespace Ticker.Client.Kite;

/// <summary>Reconnect settings of every Kite connection. Section <c>Kite:Reconnect</c>.</summary>
public sealed class KiteReconnectOptions
{
    /// <summary>The default value for <see cref="InitialDelay"/>: 1 second.</summary>
    public static readonly TimeSpan DefaultInitialDelay = TimeSpan.FromSeconds(1);

    /// <summary>The default value for <see cref="MaxDelay"/>: 60 seconds (as the official clients).</summary>
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(60);

    /// <summary>The smallest non-zero <see cref="RetryRejectedAfter"/>: refused credentials are never retried faster.</summary>
    public static readonly TimeSpan MinRetryRejectedAfter = TimeSpan.FromSeconds(30);

    /// <summary>The ceiling of the first retry; it doubles per failed attempt up to <see cref="MaxDelay"/>. 10 ms to 10 minutes.</summary>
    public TimeSpan InitialDelay { get; set; } = DefaultInitialDelay;

    /// <summary>The largest delay between attempts; <see cref="InitialDelay"/> to 1 hour.</summary>
    public TimeSpan MaxDelay { get; set; } = DefaultMaxDelay;

    /// <summary>Failed attempts in a row after which a connection gives up (and reports it); 0: never give up.</summary>
    public int MaxAttempts { get; set; }

    /// <summary>
    /// What to do when Kite refuses the API key or access token (HTTP 403 on the upgrade). Zero (the default): stop
    /// that account's connections and report it. Otherwise retry this slowly (at least 30 seconds), reading the
    /// access token from its source again each time, so a token file or variable refreshed by the daily login
    /// script is picked up without a restart.
    /// </summary>
    public TimeSpan RetryRejectedAfter { get; set; }

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"InitialDelay={InitialDelay}, MaxDelay={MaxDelay}, MaxAttempts={MaxAttempts}, RetryRejectedAfter={RetryRejectedAfter}");
}
