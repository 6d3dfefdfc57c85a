using System.Buffers.Binary;

namespace Ticker.Client.Recording;

/// <summary>
/// The recording file format: raw Kite binary frames with their receive times.
/// <code>
/// header (16 bytes):  "KTRC"  | version uint16 LE (1) | reserved uint16 (0) | start time int64 LE (Unix µs)
/// record (repeated):  delta   varint (unsigned LEB128, µs since the previous record; the first: since start)
///                     length  uint32 LE (bytes of the frame, at most 16 MiB)
///                     frame   the WebSocket message exactly as received (heartbeats included)
/// </code>
/// A record costs 5–6 bytes over its frame at tick rates. A clock that stepped back is written as a delta of 0.
/// A file cut short (a killed recorder) ends in an incomplete record, which readers count and skip.
/// </summary>
public static class KiteRecordingFormat
{
    /// <summary>Bytes of the file header.</summary>
    public const int HeaderLength = 16;

    /// <summary>The format version this code writes and reads.</summary>
    public const ushort Version = 1;

    /// <summary>The largest frame a record may hold.</summary>
    public const int MaxFrameLength = 16 * 1024 * 1024;

    /// <summary>The most bytes a record header takes: a 10-byte varint and the 4-byte length.</summary>
    public const int MaxRecordHeaderLength = MaxVarintLength + sizeof(uint);

    private const int MaxVarintLength = 10;

    /// <summary>The four bytes every recording starts with.</summary>
    public static ReadOnlySpan<byte> Magic => "KTRC"u8;

    /// <summary>Writes the file header.</summary>
    /// <param name="destination">At least <see cref="HeaderLength"/> bytes.</param>
    /// <param name="startUs">The origin of the first record's delta, Unix µs.</param>
    public static void WriteHeader(Span<byte> destination, long startUs)
    {
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], Version);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], startUs);
    }

    /// <summary>Reads the file header.</summary>
    /// <returns>Null when it is valid; otherwise why the input is not a recording this code reads.</returns>
    public static string? TryReadHeader(ReadOnlySpan<byte> source, out long startUs)
    {
        startUs = 0;
        if (source.Length < HeaderLength)
        {
            return $"shorter than the {HeaderLength}-byte header ({source.Length} bytes)";
        }

        if (!source[..4].SequenceEqual(Magic))
        {
            return "does not start with \"KTRC\": not a Kite recording";
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(source[4..]);
        if (version != Version)
        {
            return $"format version {version}; this build reads version {Version}";
        }

        startUs = BinaryPrimitives.ReadInt64LittleEndian(source[8..]);
        return null;
    }

    /// <summary>Writes a record header (delta and length) and returns its length.</summary>
    /// <param name="destination">At least <see cref="MaxRecordHeaderLength"/> bytes.</param>
    /// <param name="deltaUs">Microseconds since the previous record; negatives are written as 0.</param>
    /// <param name="frameLength">The frame's length.</param>
    public static int WriteRecordHeader(Span<byte> destination, long deltaUs, int frameLength)
    {
        var value = (ulong)Math.Max(0, deltaUs);
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[i..], (uint)frameLength);
        return i + sizeof(uint);
    }

    /// <summary>
    /// Looks for one record at the start of <paramref name="source"/>: a frame scanner that answers "complete",
    /// "need more" or "corrupt" and never throws.
    /// </summary>
    /// <param name="source">Bytes from a record boundary on.</param>
    /// <param name="deltaUs">The record's delta when its header is complete.</param>
    /// <param name="headerLength">The record header's length when complete (the frame starts there).</param>
    /// <param name="frameLength">The frame's length when the header is complete.</param>
    /// <remarks>Allocates nothing.</remarks>
    public static KiteRecordStatus TryReadRecord(ReadOnlySpan<byte> source, out long deltaUs, out int headerLength, out int frameLength)
    {
        deltaUs = 0;
        headerLength = 0;
        frameLength = 0;
        ulong value = 0;
        var i = 0;
        while (true)
        {
            if (i == source.Length)
            {
                return KiteRecordStatus.NeedMore;
            }

            if (i == MaxVarintLength)
            {
                return KiteRecordStatus.Corrupt;
            }

            var b = source[i];
            value |= (ulong)(b & 0x7F) << (7 * i);
            i++;
            if (b < 0x80)
            {
                break;
            }
        }

        if (value > long.MaxValue)
        {
            return KiteRecordStatus.Corrupt;
        }

        if (source.Length - i < sizeof(uint))
        {
            return KiteRecordStatus.NeedMore;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(source[i..]);
        if (length > MaxFrameLength)
        {
            return KiteRecordStatus.Corrupt;
        }

        deltaUs = (long)value;
        headerLength = i + sizeof(uint);
        frameLength = (int)length;
        return source.Length - headerLength < frameLength ? KiteRecordStatus.NeedMore : KiteRecordStatus.Complete;
    }
}
