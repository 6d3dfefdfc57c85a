using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Pricing;
using Ticker.Grains.Interfaces.Streams;

namespace Ticker.Grains.Interfaces.Snapshots;

/// <summary>
/// The published state of one instrument after a tick: what the snapshot sink writes (a Redis hash, or the
/// in-memory store) and what readers get back. One struct for underlyings and options; fields that do not
/// apply to the kind are zero. Contains no references, so batches of snapshots are plain arrays.
/// </summary>
[GenerateSerializer]
public struct InstrumentSnapshot
{
    /// <summary>Kite instrument token.</summary>
    [Id(0)]
    public uint InstrumentToken;

    /// <summary>Underlying, future, call or put.</summary>
    [Id(1)]
    public InstrumentKind Kind;

    /// <summary>Last traded price.</summary>
    [Id(2)]
    public double LastPrice;

    /// <summary>Volume traded today.</summary>
    [Id(3)]
    public long VolumeTraded;

    /// <summary>Open interest.</summary>
    [Id(4)]
    public long Oi;

    /// <summary>Exchange timestamp of the last tick, Unix seconds.</summary>
    [Id(5)]
    public long ExchangeTimestamp;

    /// <summary>Last trade time, Unix seconds.</summary>
    [Id(6)]
    public long LastTradeTime;

    /// <summary>When ingestion received the last tick, Unix microseconds (the start of end-to-end latency).</summary>
    [Id(7)]
    public long ReceivedAtUs;

    /// <summary>When the grain applied the last tick, Unix microseconds.</summary>
    [Id(8)]
    public long UpdatedAtUs;

    /// <summary>How many ticks of this instrument have been applied (kept across deactivation and takeover).</summary>
    [Id(9)]
    public long Ticks;

    /// <summary>Stream position of the last tick applied; a redelivered tick at or before it is skipped.</summary>
    [Id(10)]
    public StreamPosition Position;

    /// <summary>Start of the current bar, Unix seconds (underlyings).</summary>
    [Id(11)]
    public long BarStart;

    /// <summary>Bar open (underlyings).</summary>
    [Id(12)]
    public double BarOpen;

    /// <summary>Bar high (underlyings).</summary>
    [Id(13)]
    public double BarHigh;

    /// <summary>Bar low (underlyings).</summary>
    [Id(14)]
    public double BarLow;

    /// <summary>Bar close, the last price in the bar (underlyings).</summary>
    [Id(15)]
    public double BarClose;

    /// <summary>Volume traded within the bar (underlyings).</summary>
    [Id(16)]
    public long BarVolume;

    /// <summary>Strike (options).</summary>
    [Id(17)]
    public double Strike;

    /// <summary>Expiry as <see cref="DateOnly.DayNumber"/> (options and futures); 0 when none.</summary>
    [Id(18)]
    public int ExpiryDayNumber;

    /// <summary>Token of the underlying (options and futures).</summary>
    [Id(19)]
    public uint UnderlyingToken;

    /// <summary>Underlying price used for the Greeks (options).</summary>
    [Id(20)]
    public double UnderlyingPrice;

    /// <summary>Outcome of the IV solve (options).</summary>
    [Id(21)]
    public IvStatus IvStatus;

    /// <summary>Implied volatility as a fraction (0.15 = 15 %); 0 unless <see cref="IvStatus"/> is Ok.</summary>
    [Id(22)]
    public double Iv;

    /// <summary>Greeks at <see cref="Iv"/>; zero unless <see cref="IvStatus"/> is Ok.</summary>
    [Id(23)]
    public Greeks Greeks;

    /// <summary>Best bid price (0 when no depth).</summary>
    [Id(24)]
    public double BidPrice;

    /// <summary>Best bid quantity.</summary>
    [Id(25)]
    public long BidQuantity;

    /// <summary>Best ask price (0 when no depth).</summary>
    [Id(26)]
    public double AskPrice;

    /// <summary>Best ask quantity.</summary>
    [Id(27)]
    public long AskQuantity;

    /// <summary>True for calls and puts.</summary>
    public readonly bool IsOption => Kind is InstrumentKind.Call or InstrumentKind.Put;

    /// <summary>The expiry as a date, or null.</summary>
    public readonly DateOnly? Expiry => ExpiryDayNumber == 0 ? null : DateOnly.FromDayNumber(ExpiryDayNumber);
}
