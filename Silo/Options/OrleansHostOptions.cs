namespace Ticker.Silo.Options;

/// <summary>Settings of the Orleans silo of the embedded mode. Section <c>Orleans</c>.</summary>
public sealed class OrleansHostOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Orleans";

    /// <summary>The default value for <see cref="StreamPollPeriod"/>: 2 ms, so an idle stream is read at once, not after Orleans' 100 ms default.</summary>
    public static readonly TimeSpan DefaultStreamPollPeriod = TimeSpan.FromMilliseconds(2);

    /// <summary>Silo-to-silo port; 0 picks a free one; else 1 to 65,535.</summary>
    public int SiloPort { get; set; }

    /// <summary>Gateway port for Orleans clients (<c>TickerGrainClient</c>); 0 picks a free one; else 1 to 65,535.</summary>
    public int GatewayPort { get; set; }

    /// <summary>How often a stream pulling agent asks its queue for events when it found none; 1 ms to 1 s.</summary>
    public TimeSpan StreamPollPeriod { get; set; } = DefaultStreamPollPeriod;
}
