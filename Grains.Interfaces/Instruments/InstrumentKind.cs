namespace Ticker.Grains.Interfaces.Instruments;

/// <summary>What an instrument is, as far as the ticker treats it differently.</summary>
public enum InstrumentKind : byte
{
    /// <summary>An index or equity that options are written on; it gets bars, not Greeks.</summary>
    Underlying = 0,

    /// <summary>A future; treated as an underlying-like instrument (last price and bars).</summary>
    Future = 1,

    /// <summary>A call option (CE).</summary>
    Call = 2,

    /// <summary>A put option (PE).</summary>
    Put = 3,
}
