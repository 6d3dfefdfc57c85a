namespace Ticker.Grains.Market;

/// <summary>Settings of the instruments' state and its grains. Section <c>Grains</c>.</summary>
public sealed class GrainOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Grains";

    /// <summary>The default value for <see cref="BarInterval"/>: one minute.</summary>
    public static readonly TimeSpan DefaultBarInterval = TimeSpan.FromMinutes(1);

    /// <summary>The default value for <see cref="IdleDeactivation"/>: ten minutes.</summary>
    public static readonly TimeSpan DefaultIdleDeactivation = TimeSpan.FromMinutes(10);

    /// <summary>Length of an underlying's OHLCV bar; whole seconds, 1 s to 1 day.</summary>
    public TimeSpan BarInterval { get; set; } = DefaultBarInterval;

    /// <summary>A partition consumer that saw no tick for this long is deactivated, its instruments' states freed (they load again from their snapshots); 2 s to 1 day.</summary>
    public TimeSpan IdleDeactivation { get; set; } = DefaultIdleDeactivation;
}
