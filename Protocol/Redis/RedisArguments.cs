using System.Globalization;
using StackExchange.Redis;

namespace Ticker.Protocol.Redis;

/// <summary>
/// A reusable argument list for one large command (an EVALSHA carrying a whole batch): the arguments are
/// <see cref="RedisValue"/>s whose text lives in byte chunks the list owns and reuses, so building thousands of
/// arguments allocates nothing once the list has warmed up.
/// </summary>
/// <remarks>
/// <para>StackExchange.Redis sends every element of the array it is given, so <see cref="ToArray"/> hands out a
/// cached array a little longer than <see cref="Count"/>, padded with empty strings (at most an eighth more); the
/// script reads only as many arguments as the counts it is sent say. That keeps the array reusable instead of
/// allocating one of exactly <see cref="Count"/> elements per batch.</para>
/// <para>Values point into the chunks: <see cref="Clear"/> only after the command that carries them has completed.
/// Not thread-safe: one list per concurrent command.</para>
/// </remarks>
public sealed class RedisArguments
{
    /// <summary>The default value for the size of a text chunk: 64 KiB.</summary>
    public const int DefaultChunkSize = 64 * 1024;

    /// <summary>The longest text of a double in its shortest round-trippable form, with room to spare.</summary>
    private const int MaxDoubleLength = 32;

    private readonly int _chunkSize;
    private readonly List<byte[]> _chunks = [];
    private readonly Dictionary<int, RedisValue[]> _padded = [];
    private RedisValue[] _values = new RedisValue[256];
    private int _chunk;
    private int _offset;

    /// <summary>Creates an empty list.</summary>
    /// <param name="chunkSize">The size of each text chunk (a longer value gets a chunk of its own).</param>
    public RedisArguments(int chunkSize = DefaultChunkSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, MaxDoubleLength);
        _chunkSize = chunkSize;
    }

    /// <summary>The number of arguments added.</summary>
    public int Count { get; private set; }

    /// <summary>Forgets every argument, keeping the chunks and arrays for the next command.</summary>
    public void Clear()
    {
        Array.Clear(_values, 0, Count);
        Count = 0;
        _chunk = 0;
        _offset = 0;
    }

    /// <summary>Adds a value as it is (an integer, or bytes the caller keeps unchanged until the command completed).</summary>
    /// <param name="value">The value.</param>
    public void Add(RedisValue value)
    {
        if (Count == _values.Length)
        {
            Array.Resize(ref _values, _values.Length * 2);
        }

        _values[Count++] = value;
    }

    /// <summary>Adds a copy of <paramref name="text"/>.</summary>
    /// <param name="text">The bytes.</param>
    /// <remarks>Allocates nothing once the chunks suffice.</remarks>
    public void AddCopy(ReadOnlySpan<byte> text)
    {
        var reserved = Reserve(text.Length);
        text.CopyTo(reserved.Span);
        Commit(reserved, text.Length);
    }

    /// <summary>
    /// Adds a double in its shortest round-trippable invariant form (<c>0.1</c>, <c>1E+21</c>); infinities as
    /// <c>inf</c>/<c>-inf</c> and NaN as <c>nan</c>, the spellings Redis itself uses.
    /// </summary>
    /// <param name="value">The number.</param>
    /// <remarks>Allocates nothing once the chunks suffice.</remarks>
    public void AddDouble(double value)
    {
        if (!double.IsFinite(value))
        {
            AddCopy(double.IsNaN(value) ? "nan"u8 : value > 0 ? "inf"u8 : "-inf"u8);
            return;
        }

        var reserved = Reserve(MaxDoubleLength);

        // "R" is the shortest text that parses back to the same double.
        value.TryFormat(reserved.Span, out var written, "R", CultureInfo.InvariantCulture);
        Commit(reserved, written);
    }

    /// <summary>Replaces the argument at <paramref name="index"/> (a count known only after what follows it was added).</summary>
    /// <param name="index">An index below <see cref="Count"/>.</param>
    /// <param name="value">The value.</param>
    public void Set(int index, RedisValue value)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        _values[index] = value;
    }

    /// <summary>The argument at <paramref name="index"/>.</summary>
    /// <param name="index">An index below <see cref="Count"/>.</param>
    /// <returns>The value.</returns>
    public RedisValue this[int index] => index < Count ? _values[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>
    /// The arguments as an array to hand to StackExchange.Redis: the first <see cref="Count"/> elements, then empty
    /// strings up to a size class (the array is cached and reused by the next call of the same class).
    /// </summary>
    /// <returns>The padded array, valid until the next call.</returns>
    public RedisValue[] ToArray()
    {
        var length = SizeClass(Count);
        if (!_padded.TryGetValue(length, out var array))
        {
            array = new RedisValue[length];
            _padded.Add(length, array);
        }

        Array.Copy(_values, array, Count);
        array.AsSpan(Count).Fill(RedisValue.EmptyString);
        return array;
    }

    /// <summary>The smallest size class holding <paramref name="count"/>: eight classes per power of two, at least 16.</summary>
    /// <param name="count">The number of arguments.</param>
    /// <returns>The array length.</returns>
    internal static int SizeClass(int count)
    {
        if (count <= 16)
        {
            return 16;
        }

        var step = (int)(System.Numerics.BitOperations.RoundUpToPowerOf2((uint)count) / 16);
        return (count + step - 1) / step * step;
    }

    /// <summary>Room for <paramref name="length"/> bytes: in the current chunk, the next one, or (longer than a chunk) an array of its own.</summary>
    private Memory<byte> Reserve(int length)
    {
        if (length > _chunkSize)
        {
            // Rare: dropped at the next Clear.
            return new byte[length];
        }

        if (_chunk == _chunks.Count || _offset + length > _chunkSize)
        {
            if (_chunk < _chunks.Count)
            {
                _chunk++;
            }

            if (_chunk == _chunks.Count)
            {
                _chunks.Add(new byte[_chunkSize]);
            }

            _offset = 0;
        }

        return _chunks[_chunk].AsMemory(_offset);
    }

    /// <summary>Adds the first <paramref name="length"/> bytes of what <see cref="Reserve"/> returned.</summary>
    private void Commit(Memory<byte> reserved, int length)
    {
        Add((ReadOnlyMemory<byte>)reserved[..length]);
        if (_chunk < _chunks.Count && System.Runtime.InteropServices.MemoryMarshal.TryGetArray<byte>(reserved, out var segment)
            && ReferenceEquals(segment.Array, _chunks[_chunk]))
        {
            _offset += length;
        }
    }
}
