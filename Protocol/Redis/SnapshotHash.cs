using System.Buffers.Text;
using System.Globalization;
using StackExchange.Redis;
using StreamPosition = Ticker.Grains.Interfaces.Streams.StreamPosition;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Pricing;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Grains.Interfaces.Streams;

namespace Ticker.Protocol.Redis;

/// <summary>
/// The fields of a <c>tick:snap:{token}</c> hash: written as field/value arguments (of the snapshot write script, or
/// an HSET), read back from HGETALL. Numbers are decimal text; IV and Greeks are the empty string when undefined (see
/// <c>iv_status</c>), never NaN.
/// </summary>
public static class SnapshotHash
{
    /// <summary>Field/value pairs of an underlying (or future) hash.</summary>
    private const int UnderlyingPairs = 18;

    /// <summary>Field/value pairs of an option hash.</summary>
    private const int OptionPairs = 27;

    /// <summary>The field holding the stream position of the last tick applied (<c>ms-seq/index</c>).</summary>
    public const string PositionField = "position";

    /// <summary>Appends the field/value pairs of <paramref name="s"/>.</summary>
    /// <param name="args">Where the pairs go.</param>
    /// <param name="s">The snapshot.</param>
    /// <param name="tradingSymbol">The instrument's tradingsymbol, UTF-8.</param>
    /// <returns>The number of pairs appended.</returns>
    /// <remarks>Allocates nothing once <paramref name="args"/> has warmed up.</remarks>
    public static int Write(PackedArguments args, in InstrumentSnapshot s, ReadOnlySpan<byte> tradingSymbol)
    {
        ArgumentNullException.ThrowIfNull(args);
        var option = s.IsOption;
        Span<byte> text = stackalloc byte[StreamEntryId.MaxUtf8Length + 12];
        Pair(args, "instrument_token"u8, s.InstrumentToken);
        Pair(args, "tradingsymbol"u8, tradingSymbol);
        Pair(args, "kind"u8, KindName(s.Kind));
        Pair(args, "last_price"u8, s.LastPrice);
        Pair(args, "volume_traded"u8, s.VolumeTraded);
        Pair(args, "oi"u8, s.Oi);
        Pair(args, "exchange_timestamp"u8, s.ExchangeTimestamp);
        Pair(args, "last_trade_time"u8, s.LastTradeTime);
        Pair(args, "received_at_us"u8, s.ReceivedAtUs);
        Pair(args, "updated_at_us"u8, s.UpdatedAtUs);
        Pair(args, "ticks"u8, s.Ticks);
        s.Position.TryFormat(text, out var positionLength);
        Pair(args, "position"u8, text[..positionLength]);
        if (!option)
        {
            Pair(args, "bar_start"u8, s.BarStart);
            Pair(args, "bar_open"u8, s.BarOpen);
            Pair(args, "bar_high"u8, s.BarHigh);
            Pair(args, "bar_low"u8, s.BarLow);
            Pair(args, "bar_close"u8, s.BarClose);
            Pair(args, "bar_volume"u8, s.BarVolume);
            return UnderlyingPairs;
        }

        Pair(args, "strike"u8, s.Strike);
        Pair(args, "expiry"u8, text[..FormatDate(text, s.ExpiryDayNumber)]);
        Pair(args, "underlying_token"u8, s.UnderlyingToken);
        Pair(args, "underlying_price"u8, s.UnderlyingPrice);
        Pair(args, "iv_status"u8, IvStatusName(s.IvStatus));
        var ok = s.IvStatus == IvStatus.Ok;
        Optional(args, "iv"u8, ok, s.Iv);
        Optional(args, "delta"u8, ok, s.Greeks.Delta);
        Optional(args, "gamma"u8, ok, s.Greeks.Gamma);
        Optional(args, "vega"u8, ok, s.Greeks.Vega);
        Optional(args, "theta"u8, ok, s.Greeks.Theta);
        Optional(args, "rho"u8, ok, s.Greeks.Rho);
        Pair(args, "bid_price"u8, s.BidPrice);
        Pair(args, "bid_quantity"u8, s.BidQuantity);
        Pair(args, "ask_price"u8, s.AskPrice);
        Pair(args, "ask_quantity"u8, s.AskQuantity);
        return OptionPairs;
    }

    /// <summary>The hash of <paramref name="s"/> as entries for a plain HSET (tools and tests; allocates).</summary>
    /// <param name="s">The snapshot.</param>
    /// <param name="tradingSymbol">The instrument's tradingsymbol, UTF-8.</param>
    /// <returns>The field/value entries.</returns>
    public static HashEntry[] ToHashEntries(in InstrumentSnapshot s, ReadOnlySpan<byte> tradingSymbol)
    {
        var args = new PackedArguments(4096);
        var pairs = Write(args, in s, tradingSymbol);
        var values = args.ToValues();
        var entries = new HashEntry[pairs];
        for (var i = 0; i < pairs; i++)
        {
            entries[i] = new HashEntry(values[2 * i], values[(2 * i) + 1]);
        }

        return entries;
    }

    /// <summary>
    /// Reads an HGETALL reply into a snapshot. Unknown fields are skipped, so readers keep working when fields are
    /// added.
    /// </summary>
    /// <param name="entries">The hash's fields and values.</param>
    /// <param name="s">The snapshot.</param>
    /// <returns>False when the hash does not exist (no entries) or lacks an instrument token.</returns>
    public static bool TryRead(ReadOnlySpan<HashEntry> entries, out InstrumentSnapshot s)
    {
        s = default;
        foreach (var entry in entries)
        {
            // A reply's values hold their bytes, so viewing them as memory copies nothing.
            Apply(ref s, ((ReadOnlyMemory<byte>)entry.Name).Span, ((ReadOnlyMemory<byte>)entry.Value).Span);
        }

        return s.InstrumentToken != 0;
    }

    /// <summary>The <c>kind</c> value of a kind.</summary>
    public static ReadOnlySpan<byte> KindName(InstrumentKind kind) => kind switch
    {
        InstrumentKind.Underlying => "underlying"u8,
        InstrumentKind.Future => "future"u8,
        InstrumentKind.Call => "call"u8,
        _ => "put"u8,
    };

    /// <summary>The <c>iv_status</c> value of an outcome.</summary>
    public static ReadOnlySpan<byte> IvStatusName(IvStatus status) => status switch
    {
        IvStatus.None => "none"u8,
        IvStatus.Ok => "ok"u8,
        IvStatus.BelowIntrinsic => "below_intrinsic"u8,
        IvStatus.AboveUpperBound => "above_upper_bound"u8,
        IvStatus.Expired => "expired"u8,
        IvStatus.InvalidInput => "invalid_input"u8,
        IvStatus.NoConvergence => "no_convergence"u8,
        IvStatus.NoUnderlyingPrice => "no_underlying_price"u8,
        _ => "unknown"u8,
    };

    private static void Apply(ref InstrumentSnapshot s, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        switch (name)
        {
            case var n when n.SequenceEqual("instrument_token"u8): s.InstrumentToken = (uint)Long(value); break;
            case var n when n.SequenceEqual("kind"u8): s.Kind = ParseKind(value); break;
            case var n when n.SequenceEqual("last_price"u8): s.LastPrice = Double(value); break;
            case var n when n.SequenceEqual("volume_traded"u8): s.VolumeTraded = Long(value); break;
            case var n when n.SequenceEqual("oi"u8): s.Oi = Long(value); break;
            case var n when n.SequenceEqual("exchange_timestamp"u8): s.ExchangeTimestamp = Long(value); break;
            case var n when n.SequenceEqual("last_trade_time"u8): s.LastTradeTime = Long(value); break;
            case var n when n.SequenceEqual("received_at_us"u8): s.ReceivedAtUs = Long(value); break;
            case var n when n.SequenceEqual("updated_at_us"u8): s.UpdatedAtUs = Long(value); break;
            case var n when n.SequenceEqual("ticks"u8): s.Ticks = Long(value); break;
            case var n when n.SequenceEqual("position"u8): StreamPosition.TryParse(value, out s.Position); break;
            case var n when n.SequenceEqual("bar_start"u8): s.BarStart = Long(value); break;
            case var n when n.SequenceEqual("bar_open"u8): s.BarOpen = Double(value); break;
            case var n when n.SequenceEqual("bar_high"u8): s.BarHigh = Double(value); break;
            case var n when n.SequenceEqual("bar_low"u8): s.BarLow = Double(value); break;
            case var n when n.SequenceEqual("bar_close"u8): s.BarClose = Double(value); break;
            case var n when n.SequenceEqual("bar_volume"u8): s.BarVolume = Long(value); break;
            case var n when n.SequenceEqual("strike"u8): s.Strike = Double(value); break;
            case var n when n.SequenceEqual("expiry"u8): s.ExpiryDayNumber = ParseDate(value); break;
            case var n when n.SequenceEqual("underlying_token"u8): s.UnderlyingToken = (uint)Long(value); break;
            case var n when n.SequenceEqual("underlying_price"u8): s.UnderlyingPrice = Double(value); break;
            case var n when n.SequenceEqual("iv_status"u8): s.IvStatus = ParseIvStatus(value); break;
            case var n when n.SequenceEqual("iv"u8): s.Iv = Double(value); break;
            case var n when n.SequenceEqual("delta"u8): s.Greeks.Delta = Double(value); break;
            case var n when n.SequenceEqual("gamma"u8): s.Greeks.Gamma = Double(value); break;
            case var n when n.SequenceEqual("vega"u8): s.Greeks.Vega = Double(value); break;
            case var n when n.SequenceEqual("theta"u8): s.Greeks.Theta = Double(value); break;
            case var n when n.SequenceEqual("rho"u8): s.Greeks.Rho = Double(value); break;
            case var n when n.SequenceEqual("bid_price"u8): s.BidPrice = Double(value); break;
            case var n when n.SequenceEqual("bid_quantity"u8): s.BidQuantity = Long(value); break;
            case var n when n.SequenceEqual("ask_price"u8): s.AskPrice = Double(value); break;
            case var n when n.SequenceEqual("ask_quantity"u8): s.AskQuantity = Long(value); break;
            default: break;
        }
    }

    private static void Pair(PackedArguments args, ReadOnlySpan<byte> name, long value)
    {
        args.AddCopy(name);
        args.Add(value);
    }

    private static void Pair(PackedArguments args, ReadOnlySpan<byte> name, double value)
    {
        args.AddCopy(name);
        args.AddDouble(value);
    }

    private static void Pair(PackedArguments args, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        args.AddCopy(name);
        args.AddCopy(value);
    }

    private static void Optional(PackedArguments args, ReadOnlySpan<byte> name, bool present, double value)
    {
        args.AddCopy(name);
        if (present && double.IsFinite(value))
        {
            args.AddDouble(value);
        }
        else
        {
            args.AddCopy([]);
        }
    }

    private static int FormatDate(Span<byte> destination, int dayNumber)
    {
        if (dayNumber == 0)
        {
            return 0;
        }

        var date = DateOnly.FromDayNumber(dayNumber);
        date.TryFormat(destination, out var written, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return written;
    }

    private static int ParseDate(ReadOnlySpan<byte> value) =>
        DateOnly.TryParseExact(System.Text.Encoding.ASCII.GetString(value), "yyyy-MM-dd", out var date) ? date.DayNumber : 0;

    private static long Long(ReadOnlySpan<byte> value) => Utf8Parser.TryParse(value, out long parsed, out _) ? parsed : 0;

    private static double Double(ReadOnlySpan<byte> value) =>
        value.SequenceEqual("inf"u8) || value.SequenceEqual("+inf"u8) ? double.PositiveInfinity
        : value.SequenceEqual("-inf"u8) ? double.NegativeInfinity
        : value.SequenceEqual("nan"u8) ? double.NaN
        : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;

    private static InstrumentKind ParseKind(ReadOnlySpan<byte> value) =>
        value.SequenceEqual("call"u8) ? InstrumentKind.Call
        : value.SequenceEqual("put"u8) ? InstrumentKind.Put
        : value.SequenceEqual("future"u8) ? InstrumentKind.Future
        : InstrumentKind.Underlying;

    private static IvStatus ParseIvStatus(ReadOnlySpan<byte> value)
    {
        for (var status = IvStatus.None; status <= IvStatus.NoUnderlyingPrice; status++)
        {
            if (value.SequenceEqual(IvStatusName(status)))
            {
                return status;
            }
        }

        return IvStatus.None;
    }
}
