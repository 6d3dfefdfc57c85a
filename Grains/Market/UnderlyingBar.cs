namespace Ticker.Grains.Market;

/// <summary>An OHLCV bar of an underlying over one interval.</summary>
public struct UnderlyingBar
{
    /// <summary>Start of the interval, Unix seconds; 0 when no tick has opened a bar yet.</summary>
    public long Start;

    /// <summary>First price of the interval.</summary>
    public double Open;

    /// <summary>Highest price of the interval.</summary>
    public double High;

    /// <summary>Lowest price of the interval.</summary>
    public double Low;

    /// <summary>Last price of the interval.</summary>
    public double Close;

    /// <summary>Volume traded within the interval (from the day's cumulative volume).</summary>
    public long Volume;

    /// <summary>Ticks that fell in the interval.</summary>
    public int TickCount;
}
