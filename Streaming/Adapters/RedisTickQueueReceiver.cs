using Microsoft.Extensions.Logging;
using Orleans.Streams;
using StackExchange.Redis;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Protocol.Redis;
using Ticker.Streaming.Connection;
using Ticker.Streaming.Options;
using Ticker.Streaming.Protocol;
using Ticker.Streaming.Statistics;

namespace Ticker.Streaming.Adapters;

/// <summary>
/// Reads one queue (<c>tick:in:{queue}</c>) with the <c>ticker</c> consumer group, this silo as the consumer.
/// </summary>
/// <remarks>
/// <para>On start it makes this consumer the queue's owner (<see cref="RedisTickQueueFence"/>: from then on the
/// previous owner can neither read nor acknowledge), takes over every entry pending for any consumer however briefly
/// idle (XAUTOCLAIM 0) and delivers its whole pending list first, in id order; then new entries (XREADGROUP &gt;). So
/// entries reach the consumers in id order from the current owner, also right after a failover. A receiver that finds
/// another owner stops reading, claiming and acknowledging for good (until Orleans initialises it again). While it owns
/// the queue, every <see cref="RedisTickStreamOptions.PendingSweepPeriod"/> it takes over entries idle
/// <see cref="RedisTickStreamOptions.ClaimMinIdle"/> in other consumers' lists (read outside the fence) and delivers
/// them once nothing of its own is in flight, so the pulling agent's cache never receives an entry older than one it
/// still holds; an entry whose delivery Orleans gave up on (<see cref="RedisTickDeliveryFailureHandler"/>) is delivered
/// again the same way.</para>
/// <para>A read whose reply is lost may still have put entries in this consumer's pending list: the next read goes
/// through the pending list after the last entry handed out, so none is stranded. Delivered entries are acknowledged
/// in <see cref="MessagesDeliveredAsync(IList{IBatchContainer}, CancellationToken)"/> (the consumer completes a delivery
/// only after its snapshots are written); a failed XACK is repeated with the next read. Garbage entries go to
/// <c>tick:deadletter</c> with their reason and are acknowledged. A missing stream or group (deleted) is created again
/// and reading goes on. After <see cref="Shutdown(TimeSpan, CancellationToken)"/> it reads and claims nothing.</para>
/// <para>The receiver never blocks Redis (the multiplexer is shared): idle latency is the pulling agent's period,
/// <see cref="RedisTickStreamOptions.PollPeriod"/>. After a failed read it backs off (capped, jittered) instead of
/// asking again at every period.</para>
/// </remarks>
internal sealed partial class RedisTickQueueReceiver : IQueueAdapterReceiver
{
    private const int ClaimBatch = 256;
    private const int DeadLetterMaxLength = 10_000;

    // Not StreamPosition.NewMessages ("$", which StackExchange.Redis turns into ">" only in its own XREADGROUP).
    private static readonly RedisValue NewEntries = ">";
    private static readonly RedisValue Start = "0-0";
    private static readonly IList<IBatchContainer> Nothing = Array.Empty<IBatchContainer>();

    private readonly Func<Task<IConnectionMultiplexer>> _connect;
    private readonly RedisTickStreamOptions _options;
    private readonly RedisTickStreamStatistics _statistics;
    private readonly RedisTickDeliveryFailureHandler _failures;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RedisKey _key;
    private readonly RedisValue _consumer;
    private readonly RedisTickQueueFence _fence;
    private readonly int _queue;
    private readonly List<RedisValue> _unacked = [];
    private IDatabase? _redis;
    private bool _initialized;
    private volatile bool _stopping;
    private int _owning;
    private int _fenced;
    private RedisValue? _pendingCursor;
    private StreamEntryId? _lastHandedOut;
    private bool _recoverFromStart;
    private int _inFlight;
    private long _nextSweep;
    private int _failedReads;
    private long _retryAt;

    /// <summary>Creates the receiver of <paramref name="queue"/>; nothing is read before <see cref="Initialize(TimeSpan, CancellationToken)"/>.</summary>
    public RedisTickQueueReceiver(
        int queue, string consumer, Func<Task<IConnectionMultiplexer>> connect, RedisTickStreamOptions options,
        RedisTickStreamStatistics statistics, RedisTickDeliveryFailureHandler failures, TimeProvider time, ILogger logger)
    {
        _failures = failures;
        _queue = queue;
        _key = TickerKeys.InputStream(queue);
        _consumer = consumer;
        _fence = new RedisTickQueueFence(queue, _consumer);
        _connect = connect;
        _options = options;
        _statistics = statistics;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    public Task Initialize(TimeSpan timeout) => Initialize(timeout, CancellationToken.None);

    /// <inheritdoc />
    public async Task Initialize(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Orleans gave this silo the queue: it reads again even if it was stopped or fenced before.
        _initialized = false;
        _stopping = false;
        Volatile.Write(ref _fenced, 0);
        try
        {
            await InitializeCoreAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisErrors.IsRedisFailure(ex))
        {
            // The pulling agent starts pumping anyway: the first read tries again.
            LogInitializeFailed(_logger, _queue, ex.Message);
        }
    }

    /// <inheritdoc />
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    /// <inheritdoc />
    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        if (_stopping || IsFenced || cancellationToken.IsCancellationRequested || (_failedReads > 0 && _time.GetTimestamp() < _retryAt))
        {
            return Nothing;
        }

        try
        {
            if (!_initialized)
            {
                await InitializeCoreAsync().ConfigureAwait(false);
            }

            await AcknowledgeAsync([]).ConfigureAwait(false);
            await SweepAsync().ConfigureAwait(false);
            var read = await ReadAsync(maxCount).ConfigureAwait(false);
            _failedReads = 0;
            return read;
        }
        catch (RedisServerException ex) when (RedisErrors.IsMissingGroupOrStream(ex))
        {
            await RecreateAsync().ConfigureAwait(false);
            return Nothing;
        }
        catch (Exception ex) when (RedisErrors.IsRedisFailure(ex))
        {
            // The reply may have been lost after Redis put entries in this consumer's pending list: read the pending
            // list again after the last entry handed out.
            _pendingCursor ??= _lastHandedOut is { } last ? RedisTickEntry.FormatId(last) : Start;
            _statistics.OnReadFailure();
            _failedReads++;
            _retryAt = _time.GetTimestamp() + (long)(RetryBackoff.Delay(_failedReads, _options.MaxRetryDelay).TotalSeconds * _time.TimestampFrequency);
            if (_failedReads == 1 || _failedReads % 20 == 0)
            {
                LogReadFailed(_logger, _queue, _failedReads, ex.Message);
            }

            return Nothing;
        }
    }

    /// <inheritdoc />
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => MessagesDeliveredAsync(messages, CancellationToken.None);

    /// <inheritdoc />
    public async Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken)
    {
        var ids = new List<RedisValue>(messages.Count);
        foreach (var message in messages)
        {
            if (message is RedisTickBatchContainer container)
            {
                ids.Add(RedisTickEntry.FormatId(container.EntryId));
            }
        }

        Interlocked.Add(ref _inFlight, -ids.Count);
        await AcknowledgeAsync(ids).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task Shutdown(TimeSpan timeout) => Shutdown(timeout, CancellationToken.None);

    /// <inheritdoc />
    public async Task Shutdown(TimeSpan timeout, CancellationToken cancellationToken)
    {
        _stopping = true;

        // Only acknowledgements of delivered entries that failed before; nothing new is read or claimed.
        await AcknowledgeAsync([]).ConfigureAwait(false);
        Release();

        LogStopped(_logger, _queue, Volatile.Read(ref _inFlight));
    }

    private async Task InitializeCoreAsync()
    {
        _redis ??= (await _connect().ConfigureAwait(false)).GetDatabase();
        await CreateGroupAsync().ConfigureAwait(false);

        // Owner first: once it is set, the previous owner can no longer read or acknowledge, so its pending list only
        // shrinks by this claim, and every entry it read is delivered again here, in id order, before anything newer.
        var (previous, epoch) = await _fence.TakeOverAsync(_redis).ConfigureAwait(false);
        var claimed = await ClaimAllAsync().ConfigureAwait(false);
        if (claimed < 0)
        {
            return;
        }

        await ForgetIdleConsumersAsync().ConfigureAwait(false);
        _pendingCursor = Start;
        _nextSweep = _time.GetTimestamp() + Ticks(_options.PendingSweepPeriod);
        _initialized = true;
        if (Interlocked.Exchange(ref _owning, 1) == 0)
        {
            _statistics.OnQueueOwned(_queue);
        }

        if (claimed > 0 && previous != _consumer)
        {
            _statistics.OnTakeover(_queue);
        }

        LogStarted(_logger, _queue, _consumer.ToString(), epoch, previous.Length == 0 ? "nobody" : previous, claimed);
    }

    /// <summary>
    /// XAUTOCLAIM every entry pending for any consumer into this one's list, however briefly idle: the previous owner
    /// can no longer read or acknowledge them. Returns -1 when another consumer took the queue over meanwhile.
    /// </summary>
    private async Task<int> ClaimAllAsync()
    {
        var claimed = 0;
        var cursor = Start;
        do
        {
            var (next, count, deleted, fencedBy) = await _fence.AutoClaimAsync(_redis!, 0, cursor, ClaimBatch).ConfigureAwait(false);
            if (fencedBy is not null)
            {
                OnFenced(fencedBy);
                return -1;
            }

            claimed += count;
            if (deleted > 0)
            {
                // Redis drops pending ids whose entries were trimmed or deleted: those ticks are gone.
                _statistics.OnTrimmedUnread(_queue, deleted);
                LogPendingDeleted(_logger, _queue, deleted);
            }

            cursor = next;
        }
        while (cursor != Start && !cursor.IsNullOrEmpty);
        _statistics.OnClaimed(claimed);
        return claimed;
    }

    /// <summary>
    /// Removes the consumers with nothing pending (earlier silos, whose entries were just taken over) so the group
    /// does not collect one consumer per silo incarnation. Safe for a live one: XREADGROUP creates it again.
    /// </summary>
    private async Task ForgetIdleConsumersAsync()
    {
        foreach (var consumer in await _redis!.StreamConsumerInfoAsync(_key, TickerKeys.ConsumerGroup).ConfigureAwait(false))
        {
            if (consumer.PendingMessageCount == 0 && consumer.Name != _consumer)
            {
                await _redis.StreamDeleteConsumerAsync(_key, TickerKeys.ConsumerGroup, consumer.Name).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Every sweep period: takes over the entries idle for the minimum in other consumers' lists (XPENDING IDLE, then
    /// XCLAIM). Entries whose delivery failed are no longer in flight. When there were either, and once nothing of this
    /// receiver is in flight, it reads its own pending list again from the start.
    /// </summary>
    private async Task SweepAsync()
    {
        if (_time.GetTimestamp() >= _nextSweep && !IsFenced)
        {
            _nextSweep = _time.GetTimestamp() + Ticks(_options.PendingSweepPeriod);
            var pending = await _redis!.StreamPendingMessagesAsync(
                _key, TickerKeys.ConsumerGroup, ClaimBatch, RedisValue.Null, minIdleTimeInMs: (long)_options.ClaimMinIdle.TotalMilliseconds).ConfigureAwait(false);
            var stranded = new List<RedisValue>();
            foreach (var entry in pending)
            {
                if (entry.ConsumerName != _consumer)
                {
                    stranded.Add(entry.MessageId);
                }
            }

            if (stranded.Count > 0)
            {
                var (claimed, fencedBy) = await _fence.ClaimAsync(_redis, (long)_options.ClaimMinIdle.TotalMilliseconds, stranded).ConfigureAwait(false);
                if (fencedBy is not null)
                {
                    OnFenced(fencedBy);
                    return;
                }

                _statistics.OnClaimed(claimed);
                _recoverFromStart |= claimed > 0;
                LogSwept(_logger, _queue, claimed);
            }
        }

        while (_failures.TryTake(out var failed))
        {
            // Orleans dropped it from its cache without handing it back: no longer in flight, delivered again below.
            Interlocked.Decrement(ref _inFlight);
            _recoverFromStart = true;
            LogDeliveryFailed(_logger, _queue, failed?.ToString() ?? "(no token)");
        }

        if (_recoverFromStart && _pendingCursor is null && Volatile.Read(ref _inFlight) == 0)
        {
            _recoverFromStart = false;
            _pendingCursor = Start;
        }
    }

    private async Task<IList<IBatchContainer>> ReadAsync(int maxCount)
    {
        var count = maxCount > 0 ? Math.Min(maxCount, _options.ReadCount) : _options.ReadCount;
        var position = _pendingCursor ?? NewEntries;
        var (entries, fencedBy) = await _fence.ReadAsync(_redis!, position, count).ConfigureAwait(false);
        if (fencedBy is not null)
        {
            OnFenced(fencedBy);
            return Nothing;
        }

        if (entries.Length == 0)
        {
            // Going through this consumer's pending list: when it is exhausted, on to new entries.
            _pendingCursor = null;
            return Nothing;
        }

        _statistics.OnRead(entries.Length);
        var batch = new List<IBatchContainer>(entries.Length);
        List<(StreamEntry Entry, DeadLetterReason Reason)>? dead = null;
        List<RedisValue>? trimmed = null;
        foreach (var entry in entries)
        {
            if (entry.IsNull || entry.Values is null || entry.Values.Length == 0)
            {
                // In the pending list, but its entry was trimmed or deleted from the stream.
                (trimmed ??= []).Add(entry.Id);
            }
            else if (RedisTickEntry.TryDecode(entry, out var container, out var reason))
            {
                batch.Add(container!);
            }
            else
            {
                (dead ??= []).Add((entry, reason));
            }
        }

        if (dead is not null || trimmed is not null)
        {
            await SettleAsync(dead, trimmed).ConfigureAwait(false);
        }

        // Moved on only now: a failure above reads these entries again (they are in this consumer's pending list).
        if (_pendingCursor is not null)
        {
            _pendingCursor = entries[^1].Id;
        }

        if (RedisTickEntry.TryParseId(entries[^1].Id, out var last))
        {
            _lastHandedOut = last;
        }

        Interlocked.Add(ref _inFlight, batch.Count);
        return batch;
    }

    /// <summary>Copies garbage entries to the dead-letter stream with their reason and acknowledges them with the trimmed ones.</summary>
    private async Task SettleAsync(List<(StreamEntry Entry, DeadLetterReason Reason)>? dead, List<RedisValue>? trimmed)
    {
        var ids = new List<RedisValue>();
        var writes = new List<Task>();
        foreach (var (entry, reason) in dead ?? [])
        {
            var fields = new NameValueEntry[3 + entry.Values.Length];
            fields[0] = new NameValueEntry("stream", _key.ToString());
            fields[1] = new NameValueEntry("id", entry.Id);
            fields[2] = new NameValueEntry("reason", reason.ToString());
            for (var i = 0; i < entry.Values.Length; i++)
            {
                fields[3 + i] = new NameValueEntry("f:" + entry.Values[i].Name, entry.Values[i].Value);
            }

            writes.Add(_redis!.StreamAddAsync(TickerKeys.DeadLetter, fields, maxLength: DeadLetterMaxLength, useApproximateMaxLength: true));
            ids.Add(entry.Id);
        }

        ids.AddRange(trimmed ?? []);
        await Task.WhenAll(writes).ConfigureAwait(false);
        var (_, fencedBy) = await _fence.AcknowledgeAsync(_redis!, ids).ConfigureAwait(false);
        if (fencedBy is not null)
        {
            // The new owner reads, dead-letters and counts them again.
            OnFenced(fencedBy);
            return;
        }

        foreach (var (entry, reason) in dead ?? [])
        {
            _statistics.OnDeadLettered(_queue, reason);
            LogDeadLettered(_logger, _queue, entry.Id.ToString(), reason);
        }

        if (trimmed is not null)
        {
            _statistics.OnTrimmedUnread(_queue, trimmed.Count);
            LogPendingDeleted(_logger, _queue, trimmed.Count);
        }
    }

    /// <summary>XACK <paramref name="ids"/> and any earlier acknowledgements that failed; failures are kept for the next call.</summary>
    private async Task AcknowledgeAsync(List<RedisValue> ids)
    {
        lock (_unacked)
        {
            if (_unacked.Count > 0)
            {
                ids.AddRange(_unacked);
                _unacked.Clear();
            }
        }

        // Fenced: the new owner delivers these entries again and acknowledges them itself.
        if (ids.Count == 0 || _redis is null || IsFenced)
        {
            return;
        }

        try
        {
            var (acked, fencedBy) = await _fence.AcknowledgeAsync(_redis, ids).ConfigureAwait(false);
            if (fencedBy is not null)
            {
                OnFenced(fencedBy);
                return;
            }

            _statistics.OnAcked(acked);
        }
        catch (Exception ex) when (RedisErrors.IsRedisFailure(ex))
        {
            lock (_unacked)
            {
                _unacked.AddRange(ids);
            }

            LogAckFailed(_logger, _queue, ex.Message);
        }
    }

    private async Task RecreateAsync()
    {
        try
        {
            await _redis!.StreamCreateConsumerGroupAsync(_key, TickerKeys.ConsumerGroup, Start, createStream: true).ConfigureAwait(false);
            _statistics.OnRecreated();
            LogRecreated(_logger, _queue);
        }
        catch (RedisServerException ex) when (RedisErrors.IsGroupExists(ex))
        {
            // The producer (or another receiver) created it first.
        }
        catch (Exception ex) when (RedisErrors.IsRedisFailure(ex))
        {
            LogReadFailed(_logger, _queue, 1, ex.Message);
        }

        // A new group has an empty pending list: from now on, new entries (from the start of the new stream).
        _pendingCursor = null;
    }

    private async Task CreateGroupAsync()
    {
        try
        {
            await _redis!.StreamCreateConsumerGroupAsync(_key, TickerKeys.ConsumerGroup, Start, createStream: true).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (RedisErrors.IsGroupExists(ex))
        {
            // Already there (the usual case).
        }
    }

    /// <summary>Whether this receiver found that another consumer took its queue over (until it is initialised again).</summary>
    internal bool IsFenced => Volatile.Read(ref _fenced) != 0;

    /// <summary>Another consumer owns the queue: this receiver reads, claims and acknowledges nothing more.</summary>
    private void OnFenced(string owner)
    {
        if (Interlocked.Exchange(ref _fenced, 1) == 0)
        {
            Release();
            _statistics.OnFenced();
            LogFenced(_logger, _queue, owner, Volatile.Read(ref _inFlight));
        }
    }

    /// <summary>This receiver no longer reads the queue (stopped or fenced).</summary>
    private void Release()
    {
        if (Interlocked.Exchange(ref _owning, 0) == 1)
        {
            _statistics.OnQueueReleased(_queue);
        }
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Queue}: reading as consumer {Consumer}, owner epoch {Epoch} (previous owner {Previous}); took over {Claimed} pending entries")]
    private static partial void LogStarted(ILogger logger, int queue, string consumer, long epoch, string previous, int claimed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue} was taken over by {Owner}; this receiver stops reading and acknowledging (the new owner delivers again the {InFlight} entries it handed out)")]
    private static partial void LogFenced(ILogger logger, int queue, string owner, int inFlight);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Queue}: stopped reading ({InFlight} entries handed out and not yet delivered stay pending for the next owner)")]
    private static partial void LogStopped(ILogger logger, int queue, int inFlight);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue}: starting the receiver failed; the first read tries again: {Reason}")]
    private static partial void LogInitializeFailed(ILogger logger, int queue, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue}: reading failed (attempt {Attempt}); backing off: {Reason}")]
    private static partial void LogReadFailed(ILogger logger, int queue, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue}: acknowledging failed; repeated with the next read: {Reason}")]
    private static partial void LogAckFailed(ILogger logger, int queue, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue}: Orleans gave up delivering entry {Id}; it stays pending and is delivered again once nothing is in flight")]
    private static partial void LogDeliveryFailed(ILogger logger, int queue, string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue}: took over {Count} entries left pending by other consumers")]
    private static partial void LogSwept(ILogger logger, int queue, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Queue {Queue}: {Count} pending entries had been trimmed or deleted from the stream before they were delivered")]
    private static partial void LogPendingDeleted(ILogger logger, int queue, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue}: entry {Id} cannot be delivered ({Reason}); moved to tick:deadletter and acknowledged")]
    private static partial void LogDeadLettered(ILogger logger, int queue, string id, DeadLetterReason reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue}: the stream or its consumer group was missing (deleted); created again, reading goes on (entries deleted with it are lost)")]
    private static partial void LogRecreated(ILogger logger, int queue);
}
