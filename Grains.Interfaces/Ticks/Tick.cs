namespace Ticker.Grains.Interfaces.Ticks;

/// <summary>
/// One market-data tick as decoded from a Kite packet: a mutable struct with inline depth, so that a tick
/// allocates nothing and travels by <c>in</c>/<c>ref</c>. Prices are already scaled; quantities are not.
/// Field names follow the official Kite clients.
/// </summary>
/// <remarks>Fields the packet's mode does not carry are zero.</remarks>
public struct Tick
{
    /// <summary>Kite instrument token; its low byte is the segment.</summary>
    public uint InstrumentToken;

    /// <summary>The mode of the packet the tick came from.</summary>
    public TickMode Mode;

    /// <summary>False for indices (segment 9), true otherwise.</summary>
    public bool Tradable;

    /// <summary>Last traded price.</summary>
    public double LastPrice;

    /// <summary>Quantity of the last trade.</summary>
    public long LastTradedQuantity;

    /// <summary>Volume-weighted average traded price of the day.</summary>
    public double AverageTradedPrice;

    /// <summary>Volume traded today.</summary>
    public long VolumeTraded;

    /// <summary>Total quantity on the buy side of the book.</summary>
    public long TotalBuyQuantity;

    /// <summary>Total quantity on the sell side of the book.</summary>
    public long TotalSellQuantity;

    /// <summary>Day open.</summary>
    public double Open;

    /// <summary>Day high.</summary>
    public double High;

    /// <summary>Day low.</summary>
    public double Low;

    /// <summary>Previous close.</summary>
    public double Close;

    /// <summary>Change from <see cref="Close"/> in percent (0 when close is 0).</summary>
    public double Change;

    /// <summary>Time of the last trade, Unix seconds.</summary>
    public long LastTradeTime;

    /// <summary>Open interest.</summary>
    public long Oi;

    /// <summary>Day high of open interest.</summary>
    public long OiDayHigh;

    /// <summary>Day low of open interest.</summary>
    public long OiDayLow;

    /// <summary>Exchange timestamp, Unix seconds (the resolution Kite sends).</summary>
    public long ExchangeTimestamp;

    /// <summary>
    /// When ingestion received the frame (or the synthetic feed created the tick), Unix microseconds. Kite's
    /// exchange timestamp has one-second resolution, so end-to-end latency is measured from this field.
    /// </summary>
    public long ReceivedAtUs;

    /// <summary>Bid side, best first (full mode only).</summary>
    public DepthSide Buy;

    /// <summary>Ask side, best first (full mode only).</summary>
    public DepthSide Sell;

    /// <summary>The segment id carried in the token's low byte.</summary>
    public readonly byte Segment => (byte)(InstrumentToken & 0xFF);
}
