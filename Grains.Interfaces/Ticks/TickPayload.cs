using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Ticker.Grains.Interfaces.Ticks;

/// <summary>
/// The tick stream's payload: a tick count (int32), then per tick a bit mask of its non-zero 8-byte words followed by
/// those words. A tick carries only what its mode filled in: an LTP tick takes 24 bytes, a quote 96, a full tick with
/// depth about 310, against the 384 of the raw <see cref="Tick"/> layout; so the stream, Redis and both ends move a
/// fraction of the bytes. Lossless, byte for byte, for a reader of the same layout (<see cref="Tick"/> size).
/// </summary>
public static class TickPayload
{
    private const int HeaderSize = sizeof(int);
    private const int WordSize = sizeof(ulong);

    /// <summary>8-byte words in one tick; the mask has a bit per word.</summary>
    private static readonly int Words = CheckLayout();

    /// <summary>The most bytes <paramref name="ticks"/> ticks can take.</summary>
    public static int MaxLength(int ticks) => HeaderSize + (ticks * (WordSize + Unsafe.SizeOf<Tick>()));

    /// <summary>Packs <paramref name="ticks"/> into a new array of exactly the payload's length.</summary>
    public static byte[] Encode(ReadOnlySpan<Tick> ticks)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxLength(ticks.Length));
        try
        {
            var length = Encode(ticks, buffer);
            return buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Packs <paramref name="ticks"/> into <paramref name="destination"/> (at least <see cref="MaxLength"/>); returns the bytes written.</summary>
    public static int Encode(ReadOnlySpan<Tick> ticks, Span<byte> destination)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, ticks.Length);
        var position = HeaderSize;
        foreach (ref readonly var tick in ticks)
        {
            var words = WordsOf(in tick);
            var maskAt = position;
            position += WordSize;
            ulong mask = 0;
            for (var word = 0; word < words.Length; word++)
            {
                var value = words[word];
                if (value != 0)
                {
                    mask |= 1UL << word;
                    MemoryMarshal.Write(destination[position..], in value);
                    position += WordSize;
                }
            }

            BinaryPrimitives.WriteUInt64LittleEndian(destination[maskAt..], mask);
        }

        return position;
    }

    /// <summary>
    /// Checks that <paramref name="payload"/> is a whole payload of this layout (no word beyond a tick, nothing cut, nothing
    /// after the last tick) and gives its tick count.
    /// </summary>
    public static bool TryCount(ReadOnlySpan<byte> payload, out int count)
    {
        count = 0;
        if (payload.Length < HeaderSize)
        {
            return false;
        }

        var declared = BinaryPrimitives.ReadInt32LittleEndian(payload);
        if (declared < 0 || declared > (payload.Length - HeaderSize) / WordSize)
        {
            return false;
        }

        var outside = Words == 64 ? 0 : ~0UL << Words;
        var position = HeaderSize;
        for (var i = 0; i < declared; i++)
        {
            if (payload.Length - position < WordSize)
            {
                return false;
            }

            var mask = BinaryPrimitives.ReadUInt64LittleEndian(payload[position..]);
            position += WordSize;
            var length = BitOperations.PopCount(mask) * WordSize;
            if ((mask & outside) != 0 || payload.Length - position < length)
            {
                return false;
            }

            position += length;
        }

        count = declared;
        return position == payload.Length;
    }

    /// <summary>Unpacks a payload <see cref="TryCount"/> accepted into <paramref name="destination"/> (at least its count long).</summary>
    /// <remarks>Allocates nothing.</remarks>
    public static void Decode(ReadOnlySpan<byte> payload, Span<Tick> destination)
    {
        var count = BinaryPrimitives.ReadInt32LittleEndian(payload);
        var position = HeaderSize;
        for (var i = 0; i < count; i++)
        {
            var mask = BinaryPrimitives.ReadUInt64LittleEndian(payload[position..]);
            position += WordSize;
            destination[i] = default;
            var words = MemoryMarshal.Cast<Tick, ulong>(destination.Slice(i, 1));
            while (mask != 0)
            {
                words[BitOperations.TrailingZeroCount(mask)] = MemoryMarshal.Read<ulong>(payload[position..]);
                position += WordSize;
                mask &= mask - 1;
            }
        }
    }

    private static ReadOnlySpan<ulong> WordsOf(in Tick tick) =>
        MemoryMarshal.Cast<Tick, ulong>(MemoryMarshal.CreateReadOnlySpan(in tick, 1));

    private static int CheckLayout()
    {
        var size = Unsafe.SizeOf<Tick>();
        if (size % WordSize != 0 || size / WordSize > 64)
        {
            throw new InvalidOperationException($"The tick layout ({size} bytes) does not fit the payload's 64-bit word mask.");
        }

        return size / WordSize;
    }
}
