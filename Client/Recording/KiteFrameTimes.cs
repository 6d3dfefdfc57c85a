using System.Buffers.Binary;
using Ticker.Protocol.Kite;

namespace Ticker.Client.Recording;

/// <summary>Moves the exchange timestamps and last trade times inside a Kite binary frame, in place.</summary>
public static class KiteFrameTimes
{
    /// <summary>
    /// Adds <paramref name="seconds"/> to every non-zero exchange timestamp (full tradable and full index packets)
    /// and last trade time (full tradable packets) of <paramref name="frame"/>, saturating to the uint32 range. Stops
    /// quietly at the first malformed packet (the decoder reports it); a heartbeat is left alone.
    /// </summary>
    /// <returns>How many packets were shifted.</returns>
    /// <remarks>Allocates nothing and never throws.</remarks>
    public static int Shift(Span<byte> frame, long seconds)
    {
        if (frame.Length < KitePacketLengths.MessageHeader || seconds == 0)
        {
            return 0;
        }

        int count = BinaryPrimitives.ReadUInt16BigEndian(frame);
        var rest = frame[KitePacketLengths.MessageHeader..];
        var shifted = 0;
        for (var i = 0; i < count && rest.Length >= KitePacketLengths.PacketHeader; i++)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(rest);
            rest = rest[KitePacketLengths.PacketHeader..];
            if (rest.Length < length)
            {
                break;
            }

            var packet = rest[..length];
            switch (length)
            {
                case KitePacketLengths.Full:
                    ShiftField(packet[44..], seconds);
                    ShiftField(packet[60..], seconds);
                    shifted++;
                    break;
                case KitePacketLengths.IndexFull:
                    ShiftField(packet[28..], seconds);
                    shifted++;
                    break;
            }

            rest = rest[length..];
        }

        return shifted;
    }

    private static void ShiftField(Span<byte> field, long seconds)
    {
        var value = BinaryPrimitives.ReadUInt32BigEndian(field);
        if (value != 0)
        {
            BinaryPrimitives.WriteUInt32BigEndian(field, (uint)Math.Clamp(value + seconds, 1, uint.MaxValue));
        }
    }
}
