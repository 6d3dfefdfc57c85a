using System.Buffers.Binary;

namespace Ticker.Tests.Protocol.Kite;

/// <summary>
/// Builds Kite binary packets and messages byte by byte from raw integers, independently of the encoder under test,
/// so decoder tests state the wire format themselves.
/// </summary>
internal static class KiteBytes
{
    public static byte[] Message(params byte[][] packets)
    {
        var bytes = new List<byte>();
        AddU16(bytes, (ushort)packets.Length);
        foreach (var packet in packets)
        {
            AddU16(bytes, (ushort)packet.Length);
            bytes.AddRange(packet);
        }

        return [.. bytes];
    }

    public static byte[] Ltp(uint token, uint lastPrice) => Words(token, lastPrice);

    /// <summary>An index packet: OHLC in the index order high, low, open, close; then the raw change field.</summary>
    public static byte[] IndexQuote(uint token, uint last, uint high, uint low, uint open, uint close, uint rawChange = 0) =>
        Words(token, last, high, low, open, close, rawChange);

    public static byte[] IndexFull(uint token, uint last, uint high, uint low, uint open, uint close, uint rawChange, uint exchangeTimestamp) =>
        Words(token, last, high, low, open, close, rawChange, exchangeTimestamp);

    /// <summary>A 44-byte quote from its eleven words in wire order.</summary>
    public static byte[] Quote(uint token, uint last, uint lastQty, uint avgPrice, uint volume, uint buyQty, uint sellQty,
        uint open, uint high, uint low, uint close) =>
        Words(token, last, lastQty, avgPrice, volume, buyQty, sellQty, open, high, low, close);

    /// <summary>A 184-byte full packet: the 44-byte quote, five more words, then ten depth entries (buy then sell).</summary>
    public static byte[] Full(byte[] quote, uint lastTradeTime, uint oi, uint oiHigh, uint oiLow, uint exchangeTimestamp,
        (uint Quantity, uint Price, ushort Orders)[] depth, ushort padding = 0)
    {
        if (quote.Length != 44 || depth.Length != 10)
        {
            throw new ArgumentException("A full packet needs a 44-byte quote and 10 depth entries.");
        }

        var bytes = new List<byte>(quote);
        bytes.AddRange(Words(lastTradeTime, oi, oiHigh, oiLow, exchangeTimestamp));
        foreach (var (quantity, price, orders) in depth)
        {
            bytes.AddRange(Words(quantity, price));
            AddU16(bytes, orders);
            AddU16(bytes, padding);
        }

        return [.. bytes];
    }

    public static byte[] Words(params uint[] words)
    {
        var bytes = new byte[words.Length * 4];
        for (var i = 0; i < words.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(i * 4), words[i]);
        }

        return bytes;
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex);

    private static void AddU16(List<byte> bytes, ushort value)
    {
        bytes.Add((byte)(value >> 8));
        bytes.Add((byte)value);
    }
}
