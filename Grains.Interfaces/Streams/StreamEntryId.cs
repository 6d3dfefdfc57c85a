using System.Buffers.Text;

namespace Ticker.Grains.Interfaces.Streams;

/// <summary>The id of a tick-stream entry, in Redis stream form <c>milliseconds-sequence</c>.</summary>
[GenerateSerializer, Immutable]
public readonly record struct StreamEntryId([property: Id(0)] long Milliseconds, [property: Id(1)] long Sequence) : IComparable<StreamEntryId>
{
    /// <summary>The largest number of UTF-8 bytes <see cref="TryFormat"/> writes.</summary>
    public const int MaxUtf8Length = 41;

    /// <inheritdoc />
    public int CompareTo(StreamEntryId other)
    {
        var byTime = Milliseconds.CompareTo(other.Milliseconds);
        return byTime != 0 ? byTime : Sequence.CompareTo(other.Sequence);
    }

    /// <summary>Writes <c>ms-seq</c> as UTF-8.</summary>
    public bool TryFormat(Span<byte> destination, out int written)
    {
        written = 0;
        if (!Utf8Formatter.TryFormat(Milliseconds, destination, out var first) || first >= destination.Length)
        {
            return false;
        }

        destination[first] = (byte)'-';
        if (!Utf8Formatter.TryFormat(Sequence, destination[(first + 1)..], out var second))
        {
            return false;
        }

        written = first + 1 + second;
        return true;
    }

    /// <summary>Parses <c>ms-seq</c> (or <c>ms</c>, sequence 0) from UTF-8.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out StreamEntryId id)
    {
        id = default;
        if (!Utf8Parser.TryParse(text, out long ms, out var consumed) || ms < 0)
        {
            return false;
        }

        if (consumed == text.Length)
        {
            id = new StreamEntryId(ms, 0);
            return true;
        }

        if (text[consumed] != (byte)'-' || !Utf8Parser.TryParse(text[(consumed + 1)..], out long seq, out var rest)
            || consumed + 1 + rest != text.Length || seq < 0)
        {
            return false;
        }

        id = new StreamEntryId(ms, seq);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Milliseconds}-{Sequence}";
}
