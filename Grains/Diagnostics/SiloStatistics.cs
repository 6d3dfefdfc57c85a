namespace Ticker.Grains.Diagnostics;

/// <summary>
/// The statistics of this silo: one <see cref="ShardStatistics"/> per stream partition (written by that partition's
/// consumer), one for silo-wide figures (the batcher's flushes, ticks' processing latency), instrument states loaded, and totals.
/// </summary>
public sealed class SiloStatistics
{
    private readonly ShardStatistics[] _shards;
    private long _loadedInstruments;
    private long _pendingSnapshots;

    /// <summary>Creates statistics for <paramref name="shardCount"/> shards.</summary>
    public SiloStatistics(int shardCount)
    {
        _shards = new ShardStatistics[shardCount];
        for (var i = 0; i < shardCount; i++)
        {
            _shards[i] = new ShardStatistics(i);
        }
    }

    /// <summary>Per shard (stream partition).</summary>
    public IReadOnlyList<ShardStatistics> Shards => _shards;

    /// <summary>Silo-wide figures: the batcher's flushes (batches, snapshots, flush and end-to-end latency) and the ticks' processing latency.</summary>
    public ShardStatistics SiloWide { get; } = new(-1);

    /// <summary>Instrument states loaded by this silo's partition consumers now.</summary>
    public long LoadedInstruments => Volatile.Read(ref _loadedInstruments);

    /// <summary>Snapshots waiting in the batcher grain (set by it after every change).</summary>
    public long PendingSnapshots { get => Volatile.Read(ref _pendingSnapshots); set => Volatile.Write(ref _pendingSnapshots, value); }

    /// <summary>Ticks whose delivery completed, over every partition.</summary>
    public long DeliveredTicks
    {
        get
        {
            long total = 0;
            foreach (var shard in _shards)
            {
                total += Volatile.Read(ref shard.DeliveredTicks);
            }

            return total;
        }
    }

    /// <summary>Counts instrument states loaded (positive) or freed with their partition consumer (negative).</summary>
    public void OnInstrumentsLoaded(int delta) => Interlocked.Add(ref _loadedInstruments, delta);

    /// <summary>Takes a consistent-enough copy of the totals (counters summed, histograms merged).</summary>
    public SiloTotals Capture()
    {
        var totals = new SiloTotals();
        foreach (var s in _shards)
        {
            Add(totals, s);
        }

        Add(totals, SiloWide);
        totals.CapturedAt = DateTimeOffset.UtcNow;
        return totals;
    }

    private static void Add(SiloTotals totals, ShardStatistics s)
    {
        totals.UnderlyingTicks += Volatile.Read(ref s.UnderlyingTicks);
        totals.OptionTicks += Volatile.Read(ref s.OptionTicks);
        totals.InvalidTicks += Volatile.Read(ref s.InvalidTicks);
        totals.ProcessingErrors += Volatile.Read(ref s.ProcessingErrors);
        totals.GreeksComputed += Volatile.Read(ref s.GreeksComputed);
        totals.IvFailures += Volatile.Read(ref s.IvFailures);
        totals.BatchesFlushed += Volatile.Read(ref s.BatchesFlushed);
        totals.SnapshotsWritten += Volatile.Read(ref s.SnapshotsWritten);
        totals.FlushFailures += Volatile.Read(ref s.FlushFailures);
        for (var r = 0; r < totals.FlushesByReason.Length; r++)
        {
            totals.FlushesByReason[r] += Volatile.Read(ref s.FlushesByReason[r]);
        }

        s.ProcessingLatency.AddTo(totals.ProcessingLatency);
        s.EndToEndLatency.AddTo(totals.EndToEndLatency);
        s.FlushLatency.AddTo(totals.FlushLatency);
    }
}
