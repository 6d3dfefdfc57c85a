using System.Buffers.Binary;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Protocol.Kite;

/// <summary>
/// Encodes <see cref="Tick"/>s as one Kite binary WebSocket message, the exact inverse of <see cref="KiteDecoder"/>:
/// each tick in its own <see cref="Tick.Mode"/>, indices (segment 9) as the 28/32-byte index packets.
/// </summary>
/// <remarks>
/// Prices are multiplied by the segment's divisor and rounded to the nearest integer, so every tick whose prices lie
/// on the divisor grid (all decoded ticks do) survives encode → decode exactly. Values outside a field's range
/// saturate: negative or NaN become 0, too large becomes the field's maximum. <see cref="Tick.Change"/>,
/// <see cref="Tick.Tradable"/> and <see cref="Tick.ReceivedAtUs"/> are not encoded; the decoder derives the first two
/// and stamps the third. Nothing here allocates.
/// </remarks>
public static class KiteEncoder
{
    /// <summary>Returns the length of the packet <paramref name="tick"/> encodes to (without its 2-byte length prefix).</summary>
    /// <param name="tick">The tick; its <see cref="Tick.Mode"/> and segment decide the packet kind.</param>
    /// <exception cref="ArgumentException">The tick's mode is not a defined <see cref="TickMode"/>.</exception>
    public static int PacketLength(in Tick tick)
    {
        var index = tick.Segment == KiteSegments.Indices;
        switch (tick.Mode)
        {
            case TickMode.Ltp:
                return KitePacketLengths.Ltp;
            case TickMode.Quote:
                return index ? KitePacketLengths.IndexQuote : KitePacketLengths.Quote;
            case TickMode.Full:
                return index ? KitePacketLengths.IndexFull : KitePacketLengths.Full;
            default:
                KiteThrowHelper.ThrowUndefinedMode(tick.Mode);
                return 0;
        }
    }

    /// <summary>Returns the length of the whole message <paramref name="ticks"/> encode to.</summary>
    /// <param name="ticks">The ticks of one message.</param>
    /// <exception cref="ArgumentException">A tick's mode is not a defined <see cref="TickMode"/>.</exception>
    public static int MessageLength(ReadOnlySpan<Tick> ticks)
    {
        var length = KitePacketLengths.MessageHeader;
        for (var i = 0; i < ticks.Length; i++)
        {
            length += KitePacketLengths.PacketHeader + PacketLength(in ticks[i]);
        }

        return length;
    }

    /// <summary>Encodes <paramref name="ticks"/> as one binary message.</summary>
    /// <param name="ticks">At most <see cref="KitePacketLengths.MaxPacketsPerMessage"/> ticks.</param>
    /// <param name="destination">At least <see cref="MessageLength"/> bytes.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException">Too many ticks, an undefined mode, or <paramref name="destination"/> too
    /// small.</exception>
    /// <remarks>Allocates nothing.</remarks>
    public static int Encode(ReadOnlySpan<Tick> ticks, Span<byte> destination)
    {
        if (!TryEncode(ticks, destination, out var written))
        {
            KiteThrowHelper.ThrowDestinationTooSmall();
        }

        return written;
    }

    /// <summary>Encodes <paramref name="ticks"/> as one binary message, or reports that it does not fit.</summary>
    /// <param name="ticks">At most <see cref="KitePacketLengths.MaxPacketsPerMessage"/> ticks.</param>
    /// <param name="destination">Where the message goes.</param>
    /// <param name="written">The number of bytes written; 0 when the message does not fit.</param>
    /// <returns>False when <paramref name="destination"/> is shorter than the message (its contents are then
    /// unspecified).</returns>
    /// <exception cref="ArgumentException">Too many ticks or an undefined mode.</exception>
    /// <remarks>Allocates nothing.</remarks>
    public static bool TryEncode(ReadOnlySpan<Tick> ticks, Span<byte> destination, out int written)
    {
        written = 0;
        if (ticks.Length > KitePacketLengths.MaxPacketsPerMessage)
        {
            KiteThrowHelper.ThrowTooManyTicks(ticks.Length);
        }

        if (destination.Length < KitePacketLengths.MessageHeader)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)ticks.Length);
        var offset = KitePacketLengths.MessageHeader;
        for (var i = 0; i < ticks.Length; i++)
        {
            ref readonly var tick = ref ticks[i];
            var length = PacketLength(in tick);
            if (destination.Length - offset < KitePacketLengths.PacketHeader + length)
            {
                return false;
            }

            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], (ushort)length);
            offset += KitePacketLengths.PacketHeader;
            WritePacket(in tick, destination.Slice(offset, length));
            offset += length;
        }

        written = offset;
        return true;
    }

    /// <summary>Writes the packet of <paramref name="tick"/> into <paramref name="packet"/>, which is exactly
    /// <see cref="PacketLength"/> bytes long.</summary>
    private static void WritePacket(in Tick tick, Span<byte> packet)
    {
        var divisor = KiteSegments.PriceDivisor(tick.Segment);
        BinaryPrimitives.WriteUInt32BigEndian(packet, tick.InstrumentToken);
        var last = ScalePrice(tick.LastPrice, divisor);
        WriteUInt32(packet, 4, last);
        switch (packet.Length)
        {
            case KitePacketLengths.IndexQuote:
            case KitePacketLengths.IndexFull:
                var close = ScalePrice(tick.Close, divisor);
                WriteUInt32(packet, 8, ScalePrice(tick.High, divisor));
                WriteUInt32(packet, 12, ScalePrice(tick.Low, divisor));
                WriteUInt32(packet, 16, ScalePrice(tick.Open, divisor));
                WriteUInt32(packet, 20, close);
                // The raw change field: the net change in the segment's integer units, two's complement. Our decoder
                // (like the Python client) ignores it and computes the percentage itself.
                WriteUInt32(packet, 24, unchecked(last - close));
                if (packet.Length == KitePacketLengths.IndexFull)
                {
                    WriteUInt32(packet, 28, Saturate(tick.ExchangeTimestamp));
                }

                break;
            case KitePacketLengths.Quote:
            case KitePacketLengths.Full:
                WriteQuote(in tick, packet, divisor);
                if (packet.Length == KitePacketLengths.Full)
                {
                    WriteFullTail(in tick, packet, divisor);
                }

                break;
        }
    }

    private static void WriteQuote(in Tick tick, Span<byte> packet, double divisor)
    {
        WriteUInt32(packet, 8, Saturate(tick.LastTradedQuantity));
        WriteUInt32(packet, 12, ScalePrice(tick.AverageTradedPrice, divisor));
        WriteUInt32(packet, 16, Saturate(tick.VolumeTraded));
        WriteUInt32(packet, 20, Saturate(tick.TotalBuyQuantity));
        WriteUInt32(packet, 24, Saturate(tick.TotalSellQuantity));
        WriteUInt32(packet, 28, ScalePrice(tick.Open, divisor));
        WriteUInt32(packet, 32, ScalePrice(tick.High, divisor));
        WriteUInt32(packet, 36, ScalePrice(tick.Low, divisor));
        WriteUInt32(packet, 40, ScalePrice(tick.Close, divisor));
    }

    private static void WriteFullTail(in Tick tick, Span<byte> packet, double divisor)
    {
        WriteUInt32(packet, 44, Saturate(tick.LastTradeTime));
        WriteUInt32(packet, 48, Saturate(tick.Oi));
        WriteUInt32(packet, 52, Saturate(tick.OiDayHigh));
        WriteUInt32(packet, 56, Saturate(tick.OiDayLow));
        WriteUInt32(packet, 60, Saturate(tick.ExchangeTimestamp));
        WriteDepth(in tick.Buy, packet.Slice(64, DepthSide.Levels * KitePacketLengths.DepthEntry), divisor);
        WriteDepth(in tick.Sell, packet.Slice(124, DepthSide.Levels * KitePacketLengths.DepthEntry), divisor);
    }

    private static void WriteDepth(in DepthSide side, Span<byte> entries, double divisor)
    {
        for (var level = 0; level < DepthSide.Levels; level++)
        {
            var entry = entries.Slice(level * KitePacketLengths.DepthEntry, KitePacketLengths.DepthEntry);
            ref readonly var depth = ref side[level];
            BinaryPrimitives.WriteUInt32BigEndian(entry, Saturate(depth.Quantity));
            BinaryPrimitives.WriteUInt32BigEndian(entry[4..], ScalePrice(depth.Price, divisor));
            BinaryPrimitives.WriteUInt16BigEndian(entry[8..], (ushort)Math.Clamp(depth.Orders, 0, ushort.MaxValue));
            BinaryPrimitives.WriteUInt16BigEndian(entry[10..], 0);
        }
    }

    private static void WriteUInt32(Span<byte> packet, int offset, uint value) =>
        BinaryPrimitives.WriteUInt32BigEndian(packet[offset..], value);

    /// <summary>Scales a price to the segment's integer units, rounding half away from zero and saturating to the
    /// uint32 range (NaN and negatives become 0).</summary>
    internal static uint ScalePrice(double price, double divisor)
    {
        var scaled = Math.Round(price * divisor, MidpointRounding.AwayFromZero);
        if (!(scaled > 0))
        {
            return 0;
        }

        return scaled >= uint.MaxValue ? uint.MaxValue : (uint)scaled;
    }

    private static uint Saturate(long value) => (uint)Math.Clamp(value, 0, uint.MaxValue);
}
