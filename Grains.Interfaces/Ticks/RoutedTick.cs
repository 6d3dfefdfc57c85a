using Ticker.Grains.Interfaces.Streams;

namespace Ticker.Grains.Interfaces.Ticks;

/// <summary>
/// A tick on its way from a partition's consumer to its instrument grain: where it sits in the stream (to skip a
/// redelivery) and the underlying's price when it was read (so an option grain prices off the spot of its moment
/// without asking another grain).
/// </summary>
public struct RoutedTick
{
    /// <summary>The tick.</summary>
    public Tick Tick;

    /// <summary>Its position in the partition's stream.</summary>
    public StreamPosition Position;

    /// <summary>The underlying's last price at this tick (options; 0 when none has been seen).</summary>
    public double UnderlyingPrice;
}
