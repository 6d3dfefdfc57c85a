using System.Diagnostics;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Grains.Interfaces.Streams;

namespace Ticker.Grains.Batching;

/// <summary>
/// The batching rules (no locks: one caller at a time, as a grain's turns are). Collects underlying and
/// option snapshots in separate batches and decides when to flush: on size, on window expiry, when the input is
/// idle, on shutdown, or on every tick when batching is off. With conflation an instrument keeps one slot per batch.
/// The flushed batch is handed out; the caller writes it, acknowledges its entries and gives it back.
/// </summary>
public sealed class TickBatcher
{
    private readonly Stack<SnapshotBatch> _pool = new();
    private readonly int _maxBatchSize;
    private readonly long _windowTicks;
    private readonly Dictionary<uint, int> _slots = [];
    private SnapshotBatch _current;

    /// <summary>Creates a batcher.</summary>
    public TickBatcher(BatchingOptions options)
    {
        Options = options;
        _maxBatchSize = options.Enabled ? options.MaxBatchSize : 1;
        _windowTicks = (long)(options.WindowMs * (Stopwatch.Frequency / 1000.0));
        _current = new SnapshotBatch(_maxBatchSize);
    }

    /// <summary>The settings.</summary>
    public BatchingOptions Options { get; }

    /// <summary>Whether anything (snapshots or entries to acknowledge) waits in the current batch.</summary>
    public bool HasPending => !_current.IsEmpty;

    /// <summary>Snapshots waiting in the current batch.</summary>
    public int PendingCount => _current.UnderlyingCount + _current.OptionCount;

    /// <summary>Whether either batch reached its size limit (always after one snapshot when batching is off).</summary>
    public bool IsFull => _current.UnderlyingCount >= _maxBatchSize || _current.OptionCount >= _maxBatchSize;

    /// <summary>The reason to give a flush caused by <see cref="IsFull"/>.</summary>
    public FlushReason FullReason => Options.Enabled ? FlushReason.Size : FlushReason.Disabled;

    /// <summary>The maximum snapshots per batch type (the denominator of the fill rate).</summary>
    public int MaxBatchSize => _maxBatchSize;

    /// <summary>
    /// The slot the snapshot of <paramref name="token"/> goes to: a new one, or with conflation the slot the
    /// instrument already has in this batch.
    /// </summary>
    /// <remarks>Allocates nothing (the conflation map is sized once and reused).</remarks>
    public ref InstrumentSnapshot Reserve(uint token, bool option, long nowTimestamp) =>
        ref Reserve(token, option, nowTimestamp, out _);

    /// <summary>As <see cref="Reserve(uint, bool, long)"/>; <paramref name="conflated"/> tells whether the slot already holds a snapshot of the instrument.</summary>
    public ref InstrumentSnapshot Reserve(uint token, bool option, long nowTimestamp, out bool conflated)
    {
        if (Options.Conflate && _slots.TryGetValue(token, out var slot))
        {
            conflated = true;
            return ref _current.Slot(option, slot);
        }

        conflated = false;

        if (_current.OpenedAt == 0)
        {
            _current.OpenedAt = nowTimestamp;
        }

        var index = _current.Append(option);
        if (Options.Conflate)
        {
            _slots[token] = index;
        }

        return ref _current.Slot(option, index);
    }

    /// <summary>Records an input entry fully applied; it is acknowledged after the batch it ends in is written.</summary>
    public void CompleteEntry(StreamEntryId id, long nowTimestamp)
    {
        if (_current.OpenedAt == 0)
        {
            _current.OpenedAt = nowTimestamp;
        }

        _current.AddEntry(id);
    }

    /// <summary>Whether the current batch has waited its window.</summary>
    public bool WindowElapsed(long nowTimestamp) =>
        _current.OpenedAt != 0 && nowTimestamp - _current.OpenedAt >= _windowTicks;

    /// <summary>Hands out the current batch and starts a new one.</summary>
    public SnapshotBatch Detach(FlushReason reason)
    {
        var batch = _current;
        batch.Reason = reason;
        lock (_pool)
        {
            _current = _pool.Count > 0 ? _pool.Pop() : new SnapshotBatch(_maxBatchSize);
        }

        _slots.Clear();
        return batch;
    }

    /// <summary>Gives a written batch back for reuse (from the shard's flusher; the lock is shared with this shard's worker only, once per batch).</summary>
    public void Return(SnapshotBatch batch)
    {
        batch.Clear();
        lock (_pool)
        {
            _pool.Push(batch);
        }
    }
}
