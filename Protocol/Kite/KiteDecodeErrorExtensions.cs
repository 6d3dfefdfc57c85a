namespace Ticker.Protocol.Kite;

/// <summary>Human-readable reasons for <see cref="KiteDecodeError"/> values, for logs and tools.</summary>
public static class KiteDecodeErrorExtensions
{
    /// <summary>Returns a one-line reason for <paramref name="error"/> (a constant string; allocates nothing).</summary>
    /// <param name="error">The decode outcome.</param>
    public static string Describe(this KiteDecodeError error) => error switch
    {
        KiteDecodeError.None => "no error",
        KiteDecodeError.Empty => "empty message",
        KiteDecodeError.TruncatedHeader => "message shorter than the 2-byte packet count",
        KiteDecodeError.TruncatedPacketLength => "message ends before the length of a packet the header announced",
        KiteDecodeError.TruncatedPacket => "packet runs past the end of the message",
        KiteDecodeError.UnknownPacketLength => "unknown packet length (expected 8, 28, 32, 44 or 184)",
        KiteDecodeError.TrailingBytes => "bytes left over after the last packet the header announced",
        KiteDecodeError.DestinationTooSmall => "more packets than the destination has room for",
        _ => "unknown decode error",
    };
}
