using System.Buffers.Text;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Pricing;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Protocol.Resp;

namespace Ticker.Protocol.Redis;

/// <summary>
/// The fields of a <c>tick:snap:{token}</c> hash: written with one HSET per snapshot, read back from HGETALL. Numbers
/// are decimal text; IV and Greeks are the empty string when undefined (see <c>iv_status</c>), never NaN.
/// </summary>
public static class SnapshotHash
{
    /// <summary>Field/value pairs of an underlying (or future) hash.</summary>
    private const int UnderlyingPairs = 18;

    /// <summary>Field/value pairs of an option hash.</summary>
    private const int OptionPairs = 27;

    /// <summary>Writes <c>HSET key field value …</c> for <paramref name="s"/>.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public static void Write(RedisBatch batch, ReadOnlySpan<byte> key, in InstrumentSnapshot s, ReadOnlySpan<byte> tradingSymbol)
    {
        var option = s.IsOption;
        batch.BeginCommand(2 + (2 * (option ? OptionPairs : UnderlyingPairs)));
        batch.Arg("HSET"u8);
        batch.Arg(key);
        Span<byte> text = stackalloc byte[StreamEntryId.MaxUtf8Length + 12];
        Pair(batch, "instrument_token"u8, s.InstrumentToken);
        batch.Arg("tradingsymbol"u8);
        batch.Arg(tradingSymbol);
        batch.Arg("kind"u8);
        batch.Arg(KindName(s.Kind));
        Pair(batch, "last_price"u8, s.LastPrice);
        Pair(batch, "volume_traded"u8, s.VolumeTraded);
        Pair(batch, "oi"u8, s.Oi);
        Pair(batch, "exchange_timestamp"u8, s.ExchangeTimestamp);
        Pair(batch, "last_trade_time"u8, s.LastTradeTime);
        Pair(batch, "received_at_us"u8, s.ReceivedAtUs);
        Pair(batch, "updated_at_us"u8, s.UpdatedAtUs);
        Pair(batch, "ticks"u8, s.Ticks);
        s.Position.TryFormat(text, out var positionLength);
        batch.Arg("position"u8);
        batch.Arg(text[..positionLength]);
        if (!option)
        {
            Pair(batch, "bar_start"u8, s.BarStart);
            Pair(batch, "bar_open"u8, s.BarOpen);
            Pair(batch, "bar_high"u8, s.BarHigh);
            Pair(batch, "bar_low"u8, s.BarLow);
            Pair(batch, "bar_close"u8, s.BarClose);
            Pair(batch, "bar_volume"u8, s.BarVolume);
            return;
        }

        Pair(batch, "strike"u8, s.Strike);
        batch.Arg("expiry"u8);
        batch.Arg(text[..FormatDate(text, s.ExpiryDayNumber)]);
        Pair(batch, "underlying_token"u8, s.UnderlyingToken);
        Pair(batch, "underlying_price"u8, s.UnderlyingPrice);
        batch.Arg("iv_status"u8);
        batch.Arg(IvStatusName(s.IvStatus));
        var ok = s.IvStatus == IvStatus.Ok;
        Optional(batch, "iv"u8, ok, s.Iv);
        Optional(batch, "delta"u8, ok, s.Greeks.Delta);
        Optional(batch, "gamma"u8, ok, s.Greeks.Gamma);
        Optional(batch, "vega"u8, ok, s.Greeks.Vega);
        Optional(batch, "theta"u8, ok, s.Greeks.Theta);
        Optional(batch, "rho"u8, ok, s.Greeks.Rho);
        Pair(batch, "bid_price"u8, s.BidPrice);
        Pair(batch, "bid_quantity"u8, s.BidQuantity);
        Pair(batch, "ask_price"u8, s.AskPrice);
        Pair(batch, "ask_quantity"u8, s.AskQuantity);
    }

    /// <summary>
    /// Reads an HGETALL reply (the reader positioned before it) into a snapshot. Unknown fields are skipped, so
    /// readers keep working when fields are added.
    /// </summary>
    /// <returns>False when the hash does not exist (empty reply) or lacks an instrument token.</returns>
    public static bool TryRead(ref RespReader reader, out InstrumentSnapshot s)
    {
        s = default;
        if (!reader.Read() || reader.Type != RespType.Array || reader.IsNull)
        {
            return false;
        }

        var pairs = reader.Length / 2;
        for (var i = 0; i < pairs; i++)
        {
            var name = reader.ReadBulkString();
            var value = reader.ReadBulkString();
            Apply(ref s, name, value);
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

    private static void Pair(RedisBatch batch, ReadOnlySpan<byte> name, long value)
    {
        batch.Arg(name);
        batch.Arg(value);
    }

    private static void Pair(RedisBatch batch, ReadOnlySpan<byte> name, double value)
    {
        batch.Arg(name);
        batch.Arg(value);
    }

    private static void Optional(RedisBatch batch, ReadOnlySpan<byte> name, bool present, double value)
    {
        batch.Arg(name);
        if (present && double.IsFinite(value))
        {
            batch.Arg(value);
        }
        else
        {
            batch.Arg(ReadOnlySpan<byte>.Empty);
        }
    }

    private static int FormatDate(Span<byte> destination, int dayNumber)
    {
        if (dayNumber == 0)
        {
            return 0;
        }

        var date = DateOnly.FromDayNumber(dayNumber);
        date.TryFormat(destination, out var written, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return written;
    }

    private static int ParseDate(ReadOnlySpan<byte> value) =>
        DateOnly.TryParseExact(System.Text.Encoding.ASCII.GetString(value), "yyyy-MM-dd", out var date) ? date.DayNumber : 0;

    private static long Long(ReadOnlySpan<byte> value) => Utf8Parser.TryParse(value, out long parsed, out _) ? parsed : 0;

    private static double Double(ReadOnlySpan<byte> value) => RespFormatter.TryParseDouble(value, out var parsed) ? parsed : 0;

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
