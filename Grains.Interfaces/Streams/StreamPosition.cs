namespace Ticker.Grains.Interfaces.Streams;

/// <summary>
/// Where a tick sits in its shard's stream: the entry and the tick's index within it. A grain remembers the position
/// of the last tick it applied, so an entry delivered again after a crash or a takeover is not applied twice.
/// </summary>
/// <param name="Entry">The stream entry.</param>
/// <param name="Index">The tick's index within the entry, as written.</param>
[GenerateSerializer, Immutable]
public readonly record struct StreamPosition([property: Id(0)] StreamEntryId Entry, [property: Id(1)] int Index) : IComparable<StreamPosition>
{
    /// <summary>Whether this is the zero position (nothing applied yet).</summary>
    public bool IsZero => Entry == default && Index == 0;

    /// <inheritdoc />
    public int CompareTo(StreamPosition other)
    {
        var byEntry = Entry.CompareTo(other.Entry);
        return byEntry != 0 ? byEntry : Index.CompareTo(other.Index);
    }

    /// <summary>Formats as <c>ms-seq/index</c>.</summary>
    public override string ToString() => $"{Entry}/{Index}";

    /// <summary>Parses <c>ms-seq/index</c>.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out StreamPosition position)
    {
        position = default;
        var slash = text.IndexOf((byte)'/');
        if (slash < 0 || !StreamEntryId.TryParse(text[..slash], out var entry)
            || !System.Buffers.Text.Utf8Parser.TryParse(text[(slash + 1)..], out int index, out var used)
            || used != text.Length - slash - 1 || index < 0)
        {
            return false;
        }

        position = new StreamPosition(entry, index);
        return true;
    }

    /// <summary>Writes <c>ms-seq/index</c> as UTF-8.</summary>
    public bool TryFormat(Span<byte> destination, out int written)
    {
        written = 0;
        if (!Entry.TryFormat(destination, out var id) || id >= destination.Length)
        {
            return false;
        }

        destination[id] = (byte)'/';
        if (!System.Buffers.Text.Utf8Formatter.TryFormat(Index, destination[(id + 1)..], out var rest))
        {
            return false;
        }

        written = id + 1 + rest;
        return true;
    }
}
