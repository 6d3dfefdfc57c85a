namespace Ticker.Grains.Interfaces.Instruments;

/// <summary>
/// One row of the instrument master (Kite's instruments CSV), plus what the ticker derives from it:
/// the kind, the underlying token of an option and a dense id used to index per-instrument arrays.
/// </summary>
public sealed record Instrument
{
    /// <summary>Kite instrument token.</summary>
    public required uint InstrumentToken { get; init; }

    /// <summary>Exchange token.</summary>
    public uint ExchangeToken { get; init; }

    /// <summary>Trading symbol, e.g. <c>NIFTY24DEC24000CE</c>.</summary>
    public required string TradingSymbol { get; init; }

    /// <summary>Name, e.g. <c>NIFTY</c> for NIFTY options, <c>NIFTY 50</c> for the index.</summary>
    public string Name { get; init; } = "";

    /// <summary>Last price in the master file (a reference price, not live).</summary>
    public double LastPrice { get; init; }

    /// <summary>Expiry date for derivatives.</summary>
    public DateOnly? Expiry { get; init; }

    /// <summary>Strike for options, 0 otherwise.</summary>
    public double Strike { get; init; }

    /// <summary>Minimum price movement.</summary>
    public double TickSize { get; init; }

    /// <summary>Lot size.</summary>
    public int LotSize { get; init; }

    /// <summary>Kite instrument type: EQ, FUT, CE, PE.</summary>
    public string InstrumentType { get; init; } = "";

    /// <summary>Kite segment, e.g. NFO-OPT, INDICES.</summary>
    public string Segment { get; init; } = "";

    /// <summary>Exchange, e.g. NFO, NSE.</summary>
    public string Exchange { get; init; } = "";

    /// <summary>Derived kind.</summary>
    public InstrumentKind Kind { get; init; }

    /// <summary>For options and futures: the token of the underlying index; 0 when unknown or not applicable.</summary>
    public uint UnderlyingToken { get; init; }

    /// <summary>Dense id, 0..count-1, in master order. Per-instrument arrays are indexed by it.</summary>
    public int Id { get; init; }

    /// <summary>True for calls and puts.</summary>
    public bool IsOption => Kind is InstrumentKind.Call or InstrumentKind.Put;
}
