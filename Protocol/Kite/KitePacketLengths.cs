namespace Ticker.Protocol.Kite;

/// <summary>
/// Sizes in a Kite binary message: a big-endian uint16 packet count, then per packet a big-endian uint16 length and
/// the packet. The packet kind is told by its length alone.
/// </summary>
public static class KitePacketLengths
{
    /// <summary>Bytes of the packet count at the start of a message.</summary>
    public const int MessageHeader = 2;

    /// <summary>Bytes of the length in front of every packet.</summary>
    public const int PacketHeader = 2;

    /// <summary>The most packets one message can announce (the count is a uint16).</summary>
    public const int MaxPacketsPerMessage = ushort.MaxValue;

    /// <summary>Bytes of a heartbeat message (which carries no packets).</summary>
    public const int Heartbeat = 1;

    /// <summary>LTP packet, any segment: token and last price.</summary>
    public const int Ltp = 8;

    /// <summary>Index quote packet (segment 9).</summary>
    public const int IndexQuote = 28;

    /// <summary>Index full packet (segment 9): the quote plus the exchange timestamp.</summary>
    public const int IndexFull = 32;

    /// <summary>Quote packet of a tradable instrument.</summary>
    public const int Quote = 44;

    /// <summary>Full packet of a tradable instrument, with five levels of depth per side.</summary>
    public const int Full = 184;

    /// <summary>Bytes of one depth entry: uint32 quantity, uint32 price, uint16 orders, 2 bytes of padding.</summary>
    public const int DepthEntry = 12;
}
