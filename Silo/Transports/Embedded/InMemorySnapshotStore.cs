using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Snapshots;

namespace Ticker.Silo.Transports.Embedded;

/// <summary>
/// The embedded snapshot store (Orleans' memory storage): the latest snapshot per instrument, indexed by master id.
/// Each instrument is written by one shard's flusher only; the per-cell lock is shared with readers (HTTP), never
/// across shards.
/// </summary>
public sealed class InMemorySnapshotStore : ISnapshotSink, ISnapshotReader
{
    private readonly InstrumentMaster _master;
    private readonly Cell?[] _cells;
    private long _written;

    /// <summary>Creates an empty store for <paramref name="master"/>'s instruments.</summary>
    public InMemorySnapshotStore(InstrumentMaster master)
    {
        _master = master;
        _cells = new Cell?[master.Count];
    }

    /// <summary>Snapshots written since start.</summary>
    public long Written => Volatile.Read(ref _written);

    /// <summary>Raised after each batch is stored (live views subscribe; handlers must be quick).</summary>
    public event Action<ReadOnlyMemory<InstrumentSnapshot>, ReadOnlyMemory<InstrumentSnapshot>>? BatchWritten;

    /// <inheritdoc />
    public ValueTask WriteAsync(ReadOnlyMemory<InstrumentSnapshot> underlyings, ReadOnlyMemory<InstrumentSnapshot> options, CancellationToken cancellationToken)
    {
        Store(underlyings.Span);
        Store(options.Span);
        Interlocked.Add(ref _written, underlyings.Length + options.Length);
        BatchWritten?.Invoke(underlyings, options);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<InstrumentSnapshot?> GetAsync(uint instrumentToken, CancellationToken cancellationToken) =>
        ValueTask.FromResult(TryGet(instrumentToken, out var snapshot) ? snapshot : (InstrumentSnapshot?)null);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<InstrumentSnapshot>> GetManyAsync(IReadOnlyList<uint> instrumentTokens, CancellationToken cancellationToken)
    {
        var found = new List<InstrumentSnapshot>(instrumentTokens.Count);
        foreach (var token in instrumentTokens)
        {
            if (TryGet(token, out var snapshot))
            {
                found.Add(snapshot);
            }
        }

        return ValueTask.FromResult<IReadOnlyList<InstrumentSnapshot>>(found);
    }

    /// <summary>The latest snapshot of <paramref name="instrumentToken"/>, if any.</summary>
    public bool TryGet(uint instrumentToken, out InstrumentSnapshot snapshot)
    {
        if (_master.TryGetId(instrumentToken, out var id) && Volatile.Read(ref _cells[id]) is { } cell)
        {
            lock (cell)
            {
                snapshot = cell.Snapshot;
                return true;
            }
        }

        snapshot = default;
        return false;
    }

    private void Store(ReadOnlySpan<InstrumentSnapshot> snapshots)
    {
        foreach (ref readonly var snapshot in snapshots)
        {
            if (!_master.TryGetId(snapshot.InstrumentToken, out var id))
            {
                continue;
            }

            var cell = Volatile.Read(ref _cells[id]);
            if (cell is null)
            {
                cell = new Cell();
                cell = Interlocked.CompareExchange(ref _cells[id], cell, null) ?? cell;
            }

            lock (cell)
            {
                // Idempotent and order-safe: an older snapshot (fewer ticks) never overwrites a newer one.
                if (snapshot.Ticks >= cell.Snapshot.Ticks)
                {
                    cell.Snapshot = snapshot;
                }
            }
        }
    }

    private sealed class Cell
    {
        public InstrumentSnapshot Snapshot;
    }
}
