using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Grains.Interfaces.Streams;

/// <summary>
/// One entry read from a shard of the tick stream: a batch of ticks and the id to acknowledge once everything it
/// produced is written. Entries and their buffers are pooled by the reader: hand them back with
/// <see cref="ITickStreamReader.Release"/>.
/// </summary>
public sealed class TickStreamEntry
{
    /// <summary>Creates an entry with room for <paramref name="capacity"/> ticks.</summary>
    public TickStreamEntry(int capacity) => Buffer = new Tick[capacity];

    /// <summary>The entry's id in the stream.</summary>
    public StreamEntryId Id { get; set; }

    /// <summary>Storage for the ticks; only the first <see cref="Count"/> are valid.</summary>
    public Tick[] Buffer { get; private set; }

    /// <summary>How many ticks the entry holds.</summary>
    public int Count { get; set; }

    /// <summary>The ticks, mutable so validation can compact them in place.</summary>
    public Span<Tick> Ticks => Buffer.AsSpan(0, Count);

    /// <summary>Makes room for at least <paramref name="capacity"/> ticks, keeping the first <see cref="Count"/>.</summary>
    public void EnsureCapacity(int capacity)
    {
        if (Buffer.Length < capacity)
        {
            var buffer = Buffer;
            Array.Resize(ref buffer, Math.Max(capacity, Buffer.Length * 2));
            Buffer = buffer;
        }
    }
}
