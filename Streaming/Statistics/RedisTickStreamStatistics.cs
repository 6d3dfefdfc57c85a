namespace Ticker.Streaming.Statistics;

/// <summary>
/// Counters of one Redis tick stream provider in this process (producer and receivers), for the metrics to read.
/// Every counter only grows, except the gauge <see cref="QueuesOwned"/>; all are updated with <see cref="Interlocked"/>.
/// </summary>
public sealed class RedisTickStreamStatistics
{
    private readonly long[] _deadLettered = new long[Enum.GetValues<DeadLetterReason>().Length];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, int> _reading = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, QueueCounts> _perQueue = new();
    private long _entriesWritten;
    private long _writeRetries;
    private long _throttleWaits;
    private long _entriesRead;
    private long _entriesAcked;
    private long _entriesClaimed;
    private long _trimmedUnread;
    private long _recreated;
    private long _readFailures;
    private long _deliveryFailures;
    private long _queuesOwned;
    private long _takeovers;
    private long _fencedReceivers;

    /// <summary>Entries the producer wrote (each once, also when a retry found it already written).</summary>
    public long EntriesWritten => Volatile.Read(ref _entriesWritten);

    /// <summary>Producer attempts repeated after a Redis error, a lost reply or an id collision.</summary>
    public long WriteRetries => Volatile.Read(ref _writeRetries);

    /// <summary>Times the producer waited because a queue's backlog was at the bound.</summary>
    public long ThrottleWaits => Volatile.Read(ref _throttleWaits);

    /// <summary>Entries the receivers read (good and garbage).</summary>
    public long EntriesRead => Volatile.Read(ref _entriesRead);

    /// <summary>Entries acknowledged after delivery (XACK replies that removed a pending entry).</summary>
    public long EntriesAcked => Volatile.Read(ref _entriesAcked);

    /// <summary>Entries taken over from other consumers' pending lists.</summary>
    public long EntriesClaimed => Volatile.Read(ref _entriesClaimed);

    /// <summary>Entries trimmed or deleted from a stream before the group read or acknowledged them (lost ticks).</summary>
    public long TrimmedUnread => Volatile.Read(ref _trimmedUnread);

    /// <summary>Streams or consumer groups found missing (deleted) and created again.</summary>
    public long Recreated => Volatile.Read(ref _recreated);

    /// <summary>Receiver reads that failed (Redis unreachable or an error); reading resumes after a backoff.</summary>
    public long ReadFailures => Volatile.Read(ref _readFailures);

    /// <summary>Entries whose delivery Orleans gave up on (they stay pending and are delivered again).</summary>
    public long DeliveryFailures => Volatile.Read(ref _deliveryFailures);

    /// <summary>Queues this process reads right now: receivers started (owners of their queue) and not yet stopped or fenced.</summary>
    public long QueuesOwned => Volatile.Read(ref _queuesOwned);

    /// <summary>Receiver starts that took over entries left pending by another consumer (the queue changed hands with work in flight).</summary>
    public long Takeovers => Volatile.Read(ref _takeovers);

    /// <summary>Receivers that found another consumer had taken their queue over, and stopped reading and acknowledging.</summary>
    public long FencedReceivers => Volatile.Read(ref _fencedReceivers);

    /// <summary>Entries moved to the dead-letter stream for <paramref name="reason"/>.</summary>
    public long DeadLettered(DeadLetterReason reason) => Volatile.Read(ref _deadLettered[(int)reason]);

    internal void OnWritten() => Interlocked.Increment(ref _entriesWritten);

    internal void OnWriteRetry() => Interlocked.Increment(ref _writeRetries);

    internal void OnThrottleWait() => Interlocked.Increment(ref _throttleWaits);

    internal void OnRead(int entries) => Interlocked.Add(ref _entriesRead, entries);

    internal void OnAcked(long entries) => Interlocked.Add(ref _entriesAcked, entries);

    internal void OnClaimed(int entries) => Interlocked.Add(ref _entriesClaimed, entries);

    internal void OnTrimmedUnread(int queue, long entries)
    {
        Interlocked.Add(ref Counts(queue).Trimmed, entries);
        OnTrimmedTotal(entries);
    }

    private void OnTrimmedTotal(long entries) => Interlocked.Add(ref _trimmedUnread, entries);

    internal void OnRecreated() => Interlocked.Increment(ref _recreated);

    internal void OnReadFailure() => Interlocked.Increment(ref _readFailures);

    internal void OnDeliveryFailure() => Interlocked.Increment(ref _deliveryFailures);

    /// <summary>Per queue (only queues with something to count): entries dead-lettered and trimmed unread, and takeovers.</summary>
    public IEnumerable<KeyValuePair<int, QueueCounts>> PerQueue => _perQueue;

    private QueueCounts Counts(int queue) => _perQueue.GetOrAdd(queue, static _ => new QueueCounts());

    /// <summary>Whether a receiver of this process reads <paramref name="queue"/> right now.</summary>
    public bool IsReading(int queue) => _reading.TryGetValue(queue, out var receivers) && receivers > 0;

    internal void OnQueueOwned(int queue)
    {
        Interlocked.Increment(ref _queuesOwned);
        _reading.AddOrUpdate(queue, 1, static (_, n) => n + 1);
    }

    internal void OnQueueReleased(int queue)
    {
        Interlocked.Decrement(ref _queuesOwned);
        _reading.AddOrUpdate(queue, 0, static (_, n) => n - 1);
    }

    internal void OnTakeover(int queue)
    {
        Interlocked.Increment(ref Counts(queue).Takeovers);
        OnTakeoverTotal();
    }

    private void OnTakeoverTotal() => Interlocked.Increment(ref _takeovers);

    internal void OnFenced() => Interlocked.Increment(ref _fencedReceivers);

    internal void OnDeadLettered(int queue, DeadLetterReason reason)
    {
        Interlocked.Increment(ref Counts(queue).DeadLettered);
        OnDeadLetteredTotal(reason);
    }

    private void OnDeadLetteredTotal(DeadLetterReason reason) => Interlocked.Increment(ref _deadLettered[(int)reason]);

    /// <summary>One queue's counters (updated with <see cref="Interlocked"/>, read with <see cref="Volatile"/>).</summary>
    public sealed class QueueCounts
    {
        /// <summary>Entries of the queue moved to the dead-letter stream.</summary>
        public long DeadLettered;

        /// <summary>Entries of the queue trimmed or deleted before they were read or acknowledged.</summary>
        public long Trimmed;

        /// <summary>Times a receiver of this process took the queue over from another consumer.</summary>
        public long Takeovers;
    }
}
