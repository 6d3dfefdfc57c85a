using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Grains.Interfaces.Streams;

namespace Ticker.Grains.Batching;

/// <summary>
/// A flushed batch: the underlying and option snapshots to write, and the stream entries to acknowledge once they are
/// written. Pooled by its <see cref="TickBatcher"/>.
/// </summary>
public sealed class SnapshotBatch
{
    private readonly InstrumentSnapshot[] _underlyings;
    private readonly InstrumentSnapshot[] _options;
    private StreamEntryId[] _entries;

    internal SnapshotBatch(int capacity)
    {
        Capacity = capacity;
        _underlyings = new InstrumentSnapshot[capacity];
        _options = new InstrumentSnapshot[capacity];
        _entries = new StreamEntryId[16];
    }

    /// <summary>The most snapshots of one type a batch takes before a size flush (the denominator of the fill rate).</summary>
    public int Capacity { get; }

    /// <summary>Underlying snapshots in the batch.</summary>
    public int UnderlyingCount { get; private set; }

    /// <summary>Option snapshots in the batch.</summary>
    public int OptionCount { get; private set; }

    /// <summary>Stream entries to acknowledge after the write.</summary>
    public int EntryCount { get; private set; }

    /// <summary>Why the batch was flushed.</summary>
    public FlushReason Reason { get; internal set; }

    /// <summary>Stopwatch timestamp of the first snapshot added (for the window).</summary>
    public long OpenedAt { get; internal set; }

    /// <summary>The underlying snapshots.</summary>
    public ReadOnlyMemory<InstrumentSnapshot> Underlyings => _underlyings.AsMemory(0, UnderlyingCount);

    /// <summary>The option snapshots.</summary>
    public ReadOnlyMemory<InstrumentSnapshot> Options => _options.AsMemory(0, OptionCount);

    /// <summary>The entries to acknowledge.</summary>
    public ReadOnlyMemory<StreamEntryId> Entries => _entries.AsMemory(0, EntryCount);

    /// <summary>Whether the batch holds neither snapshots nor entries.</summary>
    public bool IsEmpty => UnderlyingCount == 0 && OptionCount == 0 && EntryCount == 0;

    internal ref InstrumentSnapshot Slot(bool option, int index) =>
        ref option ? ref _options[index] : ref _underlyings[index];

    internal int Append(bool option)
    {
        return option ? OptionCount++ : UnderlyingCount++;
    }

    internal void AddEntry(StreamEntryId id)
    {
        if (EntryCount == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        _entries[EntryCount++] = id;
    }

    internal void Clear()
    {
        UnderlyingCount = 0;
        OptionCount = 0;
        EntryCount = 0;
        OpenedAt = 0;
    }
}
