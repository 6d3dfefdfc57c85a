using System.Buffers.Binary;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Protocol.Kite;

/// <summary>
/// Decodes Kite binary WebSocket messages into <see cref="Tick"/>s. All integers are big-endian and read unsigned.
/// </summary>
/// <remarks>Every method allocates nothing and never throws, whatever the input.</remarks>
public static class KiteDecoder
{
    /// <summary>Returns whether <paramref name="message"/> is a heartbeat: a binary message of exactly one byte.</summary>
    /// <param name="message">A whole binary WebSocket message.</param>
    public static bool IsHeartbeat(ReadOnlySpan<byte> message) => message.Length == KitePacketLengths.Heartbeat;

    /// <summary>
    /// Returns the packet count from the message header, or -1 when the message is shorter than the header. Use it to
    /// size the destination of <see cref="TryDecode"/>; it does not check that the packets are there.
    /// </summary>
    /// <param name="message">A whole binary WebSocket message.</param>
    public static int ReadPacketCount(ReadOnlySpan<byte> message) =>
        message.Length < KitePacketLengths.MessageHeader ? -1 : BinaryPrimitives.ReadUInt16BigEndian(message);

    /// <summary>
    /// Decodes a whole binary WebSocket message into ticks, stamping each with <paramref name="receivedAtUs"/>.
    /// </summary>
    /// <param name="message">A whole binary WebSocket message (not a heartbeat: check <see cref="IsHeartbeat"/>
    /// first, as a 1-byte message is reported as <see cref="KiteDecodeError.TruncatedHeader"/>).</param>
    /// <param name="destination">Where the ticks go, one per packet, in message order. Every field a packet's mode
    /// does not carry is set to zero.</param>
    /// <param name="receivedAtUs">When the message was received, Unix microseconds.</param>
    /// <param name="written">The number of ticks written. On an error, the ticks decoded before the malformed part
    /// (those are valid).</param>
    /// <returns><see cref="KiteDecodeError.None"/> on success, otherwise the first problem found, in message
    /// order.</returns>
    /// <remarks>Allocates nothing and never throws.</remarks>
    public static KiteDecodeError TryDecode(ReadOnlySpan<byte> message, Span<Tick> destination, long receivedAtUs, out int written)
    {
        written = 0;
        if (message.Length < KitePacketLengths.MessageHeader)
        {
            return message.IsEmpty ? KiteDecodeError.Empty : KiteDecodeError.TruncatedHeader;
        }

        int count = BinaryPrimitives.ReadUInt16BigEndian(message);
        var rest = message[KitePacketLengths.MessageHeader..];
        for (var i = 0; i < count; i++)
        {
            if (rest.Length < KitePacketLengths.PacketHeader)
            {
                return KiteDecodeError.TruncatedPacketLength;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(rest);
            if (!IsKnownLength(length))
            {
                return KiteDecodeError.UnknownPacketLength;
            }

            rest = rest[KitePacketLengths.PacketHeader..];
            if (rest.Length < length)
            {
                return KiteDecodeError.TruncatedPacket;
            }

            if ((uint)i >= (uint)destination.Length)
            {
                return KiteDecodeError.DestinationTooSmall;
            }

            DecodePacket(rest[..length], ref destination[i], receivedAtUs);
            rest = rest[length..];
            written = i + 1;
        }

        return rest.IsEmpty ? KiteDecodeError.None : KiteDecodeError.TrailingBytes;
    }

    /// <summary>
    /// Decodes one packet whose length is one of the known ones into <paramref name="tick"/>.
    /// </summary>
    /// <param name="packet">The packet, without its length prefix.</param>
    /// <param name="tick">Overwritten entirely.</param>
    /// <param name="receivedAtUs">When the message was received, Unix microseconds.</param>
    /// <returns>False (leaving <paramref name="tick"/> untouched) when the packet's length is unknown.</returns>
    /// <remarks>Allocates nothing and never throws.</remarks>
    public static bool TryDecodePacket(ReadOnlySpan<byte> packet, ref Tick tick, long receivedAtUs)
    {
        if (!IsKnownLength(packet.Length))
        {
            return false;
        }

        DecodePacket(packet, ref tick, receivedAtUs);
        return true;
    }

    private static bool IsKnownLength(int length) => length is KitePacketLengths.Ltp or KitePacketLengths.IndexQuote
        or KitePacketLengths.IndexFull or KitePacketLengths.Quote or KitePacketLengths.Full;

    private static void DecodePacket(ReadOnlySpan<byte> packet, ref Tick tick, long receivedAtUs)
    {
        var token = BinaryPrimitives.ReadUInt32BigEndian(packet);
        var segment = KiteSegments.Of(token);
        var divisor = KiteSegments.PriceDivisor(segment);
        switch (packet.Length)
        {
            case KitePacketLengths.Full:
                // Every field of the tick is written below, so the full path skips clearing it first.
                DecodeTradable(packet, ref tick, divisor);
                DecodeFullTail(packet, ref tick, divisor);
                tick.Mode = TickMode.Full;
                break;
            case KitePacketLengths.Quote:
                tick = default;
                DecodeTradable(packet, ref tick, divisor);
                tick.Mode = TickMode.Quote;
                break;
            case KitePacketLengths.IndexQuote:
            case KitePacketLengths.IndexFull:
                tick = default;
                DecodeIndex(packet, ref tick, divisor);
                break;
            default:
                tick = default;
                tick.LastPrice = Price(packet, 4, divisor);
                tick.Mode = TickMode.Ltp;
                break;
        }

        tick.InstrumentToken = token;
        tick.Tradable = KiteSegments.IsTradable(segment);
        tick.ReceivedAtUs = receivedAtUs;
    }

    private static void DecodeIndex(ReadOnlySpan<byte> packet, ref Tick tick, double divisor)
    {
        // Index packets order OHLC as high, low, open, close; bytes 24..28 hold a raw change the clients disagree
        // on, so change is computed instead.
        tick.LastPrice = Price(packet, 4, divisor);
        tick.High = Price(packet, 8, divisor);
        tick.Low = Price(packet, 12, divisor);
        tick.Open = Price(packet, 16, divisor);
        tick.Close = Price(packet, 20, divisor);
        tick.Change = Change(tick.LastPrice, tick.Close);
        if (packet.Length == KitePacketLengths.IndexFull)
        {
            tick.ExchangeTimestamp = UInt32(packet, 28);
            tick.Mode = TickMode.Full;
        }
        else
        {
            tick.Mode = TickMode.Quote;
        }
    }

    private static void DecodeTradable(ReadOnlySpan<byte> packet, ref Tick tick, double divisor)
    {
        tick.LastPrice = Price(packet, 4, divisor);
        tick.LastTradedQuantity = UInt32(packet, 8);
        tick.AverageTradedPrice = Price(packet, 12, divisor);
        tick.VolumeTraded = UInt32(packet, 16);
        tick.TotalBuyQuantity = UInt32(packet, 20);
        tick.TotalSellQuantity = UInt32(packet, 24);
        tick.Open = Price(packet, 28, divisor);
        tick.High = Price(packet, 32, divisor);
        tick.Low = Price(packet, 36, divisor);
        tick.Close = Price(packet, 40, divisor);
        tick.Change = Change(tick.LastPrice, tick.Close);
    }

    private static void DecodeFullTail(ReadOnlySpan<byte> packet, ref Tick tick, double divisor)
    {
        tick.LastTradeTime = UInt32(packet, 44);
        tick.Oi = UInt32(packet, 48);
        tick.OiDayHigh = UInt32(packet, 52);
        tick.OiDayLow = UInt32(packet, 56);
        tick.ExchangeTimestamp = UInt32(packet, 60);
        DecodeDepth(packet.Slice(64, DepthSide.Levels * KitePacketLengths.DepthEntry), ref tick.Buy, divisor);
        DecodeDepth(packet.Slice(124, DepthSide.Levels * KitePacketLengths.DepthEntry), ref tick.Sell, divisor);
    }

    private static void DecodeDepth(ReadOnlySpan<byte> entries, ref DepthSide side, double divisor)
    {
        for (var level = 0; level < DepthSide.Levels; level++)
        {
            var entry = entries.Slice(level * KitePacketLengths.DepthEntry, KitePacketLengths.DepthEntry);
            ref var depth = ref side[level];
            depth.Quantity = BinaryPrimitives.ReadUInt32BigEndian(entry);
            depth.Price = BinaryPrimitives.ReadUInt32BigEndian(entry[4..]) / divisor;
            depth.Orders = BinaryPrimitives.ReadUInt16BigEndian(entry[8..]);
        }
    }

    /// <summary>Change from close in percent, as the Python client computes it: (last − close)·100/close, 0 when
    /// close is 0.</summary>
    internal static double Change(double lastPrice, double close) => close == 0 ? 0 : (lastPrice - close) * 100 / close;

    private static uint UInt32(ReadOnlySpan<byte> packet, int offset) => BinaryPrimitives.ReadUInt32BigEndian(packet[offset..]);

    private static double Price(ReadOnlySpan<byte> packet, int offset, double divisor) =>
        BinaryPrimitives.ReadUInt32BigEndian(packet[offset..]) / divisor;
}
