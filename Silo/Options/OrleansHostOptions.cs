namespace Ticker.Silo.Options;

/// <summary>Settings of the Orleans silo (embedded or on Redis). Section <c>Orleans</c>; <c>Orleans:Membership</c> binds Orleans' own <c>ClusterMembershipOptions</c>.</summary>
public sealed class OrleansHostOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Orleans";

    /// <summary>The default value for <see cref="StreamPollPeriod"/>: 2 ms, so an idle stream is read at once, not after Orleans' 100 ms default.</summary>
    public static readonly TimeSpan DefaultStreamPollPeriod = TimeSpan.FromMilliseconds(2);

    /// <summary>The default value for <see cref="DeliveryBatchSize"/>: 64 stream events.</summary>
    public const int DefaultDeliveryBatchSize = 64;

    /// <summary>Silo-to-silo port; 0 picks a free one; else 1 to 65,535.</summary>
    public int SiloPort { get; set; }

    /// <summary>Gateway port for Orleans clients (<c>TickerGrainClient</c>); 0 picks a free one; else 1 to 65,535.</summary>
    public int GatewayPort { get; set; }

    /// <summary>
    /// On Redis: the IP address other silos and clients reach this silo at (default: Orleans' choice, this host's
    /// first non-loopback address).
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Embedded mode: how often a stream pulling agent asks its queue for events when it found none; 1 ms to 1 s (on Redis: <c>Streams:PollPeriod</c>).</summary>
    public TimeSpan StreamPollPeriod { get; set; } = DefaultStreamPollPeriod;

    /// <summary>
    /// Most stream events a partition consumer takes in one delivery (Orleans' <c>BatchContainerBatchSize</c>): one at
    /// low load, up to this many when events queue up, so each turn of the consumer applies more ticks; 1 to 10,000.
    /// </summary>
    public int DeliveryBatchSize { get; set; } = DefaultDeliveryBatchSize;
}
