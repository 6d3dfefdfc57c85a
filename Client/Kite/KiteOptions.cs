using System.Globalization;

namespace Ticker.Client.Kite;

/// <summary>
/// Kite streaming settings and the accounts to stream. Section <c>Kite</c>; validated at start-up by
/// <see cref="KiteOptionsValidator"/>. <see cref="ToString"/> never prints a secret.
/// </summary>
public sealed class KiteOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Kite";

    /// <summary>The most instruments Kite streams on one connection.</summary>
    public const int MaxInstrumentsPerConnection = 3000;

    /// <summary>The most connections Kite allows one API key.</summary>
    public const int MaxConnectionsPerAccount = 3;

    /// <summary>The most instruments one account can stream: 3 connections × 3,000.</summary>
    public const int MaxInstrumentsPerAccount = MaxInstrumentsPerConnection * MaxConnectionsPerAccount;

    /// <summary>The default value for <see cref="StaleAfter"/>: 5 seconds without any frame (as the Go client).</summary>
    public static readonly TimeSpan DefaultStaleAfter = TimeSpan.FromSeconds(5);

    /// <summary>The default value for <see cref="ConnectTimeout"/>: 10 seconds.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The default value for <see cref="OwnershipRenewPeriod"/>: one second.</summary>
    public static readonly TimeSpan DefaultOwnershipRenewPeriod = TimeSpan.FromSeconds(1);

    /// <summary>The default value for <see cref="OwnershipLease"/>: 5 seconds.</summary>
    public static readonly TimeSpan DefaultOwnershipLease = TimeSpan.FromSeconds(5);

    /// <summary>The ticker URL, without credentials (they are added to the query at connect time).</summary>
    public string Url { get; set; } = KiteUrl.DefaultUrl;

    /// <summary>
    /// A connection that received no frame at all (heartbeats included) for this long is stale: it is closed and
    /// reopened. Kite sends a heartbeat every couple of seconds when idle. 100 ms to 10 minutes.
    /// </summary>
    public TimeSpan StaleAfter { get; set; } = DefaultStaleAfter;

    /// <summary>How long one WebSocket upgrade may take before it counts as a failed attempt; 100 ms to 5 minutes.</summary>
    public TimeSpan ConnectTimeout { get; set; } = DefaultConnectTimeout;

    /// <summary>Reconnect backoff and the policy for refused credentials.</summary>
    public KiteReconnectOptions Reconnect { get; set; } = new();

    /// <summary>
    /// How often a silo claims or renews the lease of each configured account (one silo of the cluster streams an
    /// account: the lease holder). 100 ms to 1 minute.
    /// </summary>
    public TimeSpan OwnershipRenewPeriod { get; set; } = DefaultOwnershipRenewPeriod;

    /// <summary>
    /// How long a granted lease lasts without renewal: a holder whose renewals fail this long stops streaming, and
    /// another silo may take the account after it. At least twice <see cref="OwnershipRenewPeriod"/>, at most 10 minutes.
    /// </summary>
    public TimeSpan OwnershipLease { get; set; } = DefaultOwnershipLease;

    /// <summary>False keeps configured accounts idle (the <c>feed</c> command's own silo sets it).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The accounts to stream; empty: no Kite ingestion.</summary>
    public List<KiteAccountOptions> Accounts { get; set; } = [];

    /// <summary>The settings with every secret redacted.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"Url={KiteUrl.Redact(Url)}, StaleAfter={StaleAfter}, ConnectTimeout={ConnectTimeout}, Reconnect=({Reconnect}), OwnershipRenewPeriod={OwnershipRenewPeriod}, OwnershipLease={OwnershipLease}, Enabled={Enabled}, Accounts=[{string.Join("; ", Accounts)}]");
}
