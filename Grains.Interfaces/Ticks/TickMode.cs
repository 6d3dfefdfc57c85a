namespace Ticker.Grains.Interfaces.Ticks;

/// <summary>The Kite streaming mode a tick was sent in; it decides which fields are filled.</summary>
public enum TickMode : byte
{
    /// <summary>Last traded price only (8-byte packet).</summary>
    Ltp = 1,

    /// <summary>Quote: prices, quantities and OHLC, no depth (44-byte tradable or 28-byte index packet).</summary>
    Quote = 2,

    /// <summary>Full: quote plus timestamps, OI and five levels of depth (184-byte tradable or 32-byte index packet).</summary>
    Full = 3,
}
