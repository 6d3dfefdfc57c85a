namespace Ticker.Silo.Diagnostics;

/// <summary>The statistics of every shard of this silo, and totals over them.</summary>
public sealed class SiloStatistics
{
    private readonly ShardStatistics[] _shards;

    /// <summary>Creates statistics for <paramref name="shardCount"/> shards.</summary>
    public SiloStatistics(int shardCount)
    {
        _shards = new ShardStatistics[shardCount];
        for (var i = 0; i < shardCount; i++)
        {
            _shards[i] = new ShardStatistics(i);
        }
    }

    /// <summary>Per shard.</summary>
    public IReadOnlyList<ShardStatistics> Shards => _shards;

    /// <summary>Takes a consistent-enough copy of the totals (counters summed, histograms merged).</summary>
    public SiloTotals Capture()
    {
        var totals = new SiloTotals();
        foreach (var s in _shards)
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

        totals.CapturedAt = DateTimeOffset.UtcNow;
        return totals;
    }
}
