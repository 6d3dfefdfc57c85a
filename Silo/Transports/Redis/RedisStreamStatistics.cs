namespace Ticker.Silo.Transports.Redis;

/// <summary>Counts of the Redis tick-stream readers of this silo (thread-safe).</summary>
public sealed class RedisStreamStatistics
{
    private long _deadLettered;
    private long _trimmed;
    private long _claimed;

    /// <summary>Entries that could not be decoded and went to <c>tick:deadletter</c>.</summary>
    public long DeadLettered => Volatile.Read(ref _deadLettered);

    /// <summary>Pending entries found already trimmed away (ticks lost before this silo could read them).</summary>
    public long Trimmed => Volatile.Read(ref _trimmed);

    /// <summary>Pending entries taken over from other consumers (XAUTOCLAIM).</summary>
    public long Claimed => Volatile.Read(ref _claimed);

    /// <summary>Raised when an entry is dead-lettered, with the reason (for metrics).</summary>
    public event Action<string>? EntryDeadLettered;

    internal void OnDeadLettered(string reason)
    {
        Interlocked.Increment(ref _deadLettered);
        EntryDeadLettered?.Invoke(reason);
    }

    internal void OnTrimmed(int count) => Interlocked.Add(ref _trimmed, count);

    internal void OnClaimed(int count) => Interlocked.Add(ref _claimed, count);
}
