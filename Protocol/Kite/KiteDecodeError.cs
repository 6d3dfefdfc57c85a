namespace Ticker.Protocol.Kite;

/// <summary>
/// Why <see cref="KiteDecoder.TryDecode"/> rejected a binary message. The decoder never throws; callers count
/// these values instead.
/// </summary>
public enum KiteDecodeError : byte
{
    /// <summary>The message decoded completely.</summary>
    None = 0,

    /// <summary>The message has no bytes at all.</summary>
    Empty,

    /// <summary>The message is shorter than the 2-byte packet count (a 1-byte heartbeat lands here; check
    /// <see cref="KiteDecoder.IsHeartbeat"/> first).</summary>
    TruncatedHeader,

    /// <summary>The message ends where the 2-byte length of the next packet should be: the header promised more
    /// packets than the message holds.</summary>
    TruncatedPacketLength,

    /// <summary>A packet's length runs past the end of the message.</summary>
    TruncatedPacket,

    /// <summary>A packet's length is none of 8, 28, 32, 44 or 184.</summary>
    UnknownPacketLength,

    /// <summary>Bytes are left over after the last packet the header announced.</summary>
    TrailingBytes,

    /// <summary>The message holds more packets than the destination span has room for.</summary>
    DestinationTooSmall,
}
