using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using StackExchange.Redis;

namespace Ticker.Protocol.Redis;

/// <summary>
/// A reusable list of a script's arguments packed into one value: a MessagePack array of strings, which the script
/// unpacks with Redis' built-in <c>cmsgpack.unpack</c>. A batch of thousands of snapshots then travels as one bulk
/// string (one copy into the connection) instead of tens of thousands, each framed and written on its own.
/// </summary>
/// <remarks>
/// <para>Every value is a string, as Redis arguments are: numbers in their invariant text, which the script reads
/// with <c>tonumber</c>. A count known only after what follows it is reserved with <see cref="AddCountPlaceholder"/>
/// (ten zero-padded digits) and filled in with <see cref="SetCount"/>.</para>
/// <para><see cref="Packed"/> points into the list's buffer: <see cref="Clear"/> only after the command that carries it
/// has completed. Not thread-safe: one list per concurrent command. Allocates nothing once the buffer has grown.</para>
/// </remarks>
public sealed class PackedArguments
{
    // 0xdd: array 32, its element count big-endian in the next four bytes.
    private const int HeaderLength = 5;
    private const int CountDigits = 10;

    // The longest text of a double in its shortest round-trippable form, with room to spare.
    private const int MaxDoubleLength = 32;

    private byte[] _buffer;
    private int _length = HeaderLength;

    /// <summary>Creates an empty list.</summary>
    /// <param name="capacity">The buffer's initial size in bytes.</param>
    public PackedArguments(int capacity = 64 * 1024) => _buffer = new byte[Math.Max(capacity, HeaderLength + 16)];

    /// <summary>The number of values added.</summary>
    public int Count { get; private set; }

    /// <summary>The packed array (valid until the next change), as the one argument that carries it.</summary>
    public RedisValue Packed
    {
        get
        {
            _buffer[0] = 0xdd;
            BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(1), (uint)Count);
            return (ReadOnlyMemory<byte>)_buffer.AsMemory(0, _length);
        }
    }

    /// <summary>Forgets every value, keeping the buffer for the next command.</summary>
    public void Clear()
    {
        _length = HeaderLength;
        Count = 0;
    }

    /// <summary>Adds a copy of <paramref name="text"/>.</summary>
    public void AddCopy(ReadOnlySpan<byte> text)
    {
        var destination = Reserve(text.Length);
        text.CopyTo(destination);
    }

    /// <summary>Adds an integer as its invariant text.</summary>
    public void Add(long value)
    {
        Span<byte> text = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, text, out var length);
        AddCopy(text[..length]);
    }

    /// <summary>
    /// Adds a double in its shortest round-trippable invariant form (<c>0.1</c>, <c>1E+21</c>); infinities as
    /// <c>inf</c>/<c>-inf</c> and NaN as <c>nan</c>, the spellings Redis itself uses.
    /// </summary>
    public void AddDouble(double value)
    {
        if (!double.IsFinite(value))
        {
            AddCopy(double.IsNaN(value) ? "nan"u8 : value > 0 ? "inf"u8 : "-inf"u8);
            return;
        }

        Span<byte> text = stackalloc byte[MaxDoubleLength];
        value.TryFormat(text, out var length, "R", CultureInfo.InvariantCulture);
        AddCopy(text[..length]);
    }

    /// <summary>Reserves a count to fill in later with <see cref="SetCount"/>; returns its place.</summary>
    public int AddCountPlaceholder()
    {
        var place = _length + 1;
        Reserve(CountDigits).Fill((byte)'0');
        return place;
    }

    /// <summary>Fills in the count reserved at <paramref name="place"/>.</summary>
    /// <param name="place">What <see cref="AddCountPlaceholder"/> returned since the last <see cref="Clear"/>.</param>
    /// <param name="value">The count, 0 or more.</param>
    public void SetCount(int place, int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)place, (uint)(_length - CountDigits), nameof(place));
        var digits = _buffer.AsSpan(place, CountDigits);
        digits.Fill((byte)'0');
        Span<byte> text = stackalloc byte[CountDigits];
        Utf8Formatter.TryFormat(value, text, out var length);
        text[..length].CopyTo(digits[^length..]);
    }

    /// <summary>The values, decoded back (tools and tests; allocates).</summary>
    public byte[][] ToValues()
    {
        var values = new byte[Count][];
        var at = HeaderLength;
        for (var i = 0; i < values.Length; i++)
        {
            var marker = _buffer[at];
            int length, header;
            switch (marker)
            {
                case < 0xc0: (length, header) = (marker & 0x1f, 1); break;
                case 0xd9: (length, header) = (_buffer[at + 1], 2); break;
                case 0xda: (length, header) = (BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(at + 1)), 3); break;
                default: (length, header) = ((int)BinaryPrimitives.ReadUInt32BigEndian(_buffer.AsSpan(at + 1)), 5); break;
            }

            values[i] = _buffer.AsSpan(at + header, length).ToArray();
            at += header + length;
        }

        return values;
    }

    /// <summary>Writes the string header of a value of <paramref name="length"/> bytes; returns where its bytes go.</summary>
    private Span<byte> Reserve(int length)
    {
        var header = length < 32 ? 1 : length < 256 ? 2 : length < 65536 ? 3 : 5;
        var needed = _length + header + length;
        if (needed > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
        }

        var span = _buffer.AsSpan(_length);
        switch (header)
        {
            case 1: span[0] = (byte)(0xa0 | length); break; // fixstr
            case 2: span[0] = 0xd9; span[1] = (byte)length; break; // str 8
            case 3: span[0] = 0xda; BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)length); break; // str 16
            default: span[0] = 0xdb; BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)length); break; // str 32
        }

        _length = needed;
        Count++;
        return span.Slice(header, length);
    }
}
