using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using StackExchange.Redis;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Protocol.Redis;
using Ticker.Streaming.Connection;
using Ticker.Streaming.Options;
using Ticker.Streaming.Protocol;
using Ticker.Streaming.Statistics;

namespace Ticker.Streaming.Producer;

/// <summary>
/// Writes the entries of one queue (<c>tick:in:{queue}</c>): one XADD per batch with an id chosen here (<c>ms-seq</c>,
/// increasing), so a write whose reply was lost is recognised on retry (XRANGE on the id, and the producer field is
/// this process's) and never duplicated. Before writing it waits while the queue's backlog is at
/// <see cref="RedisTickStreamOptions.MaxBacklog"/>. Writes to one queue are serialised; different queues run
/// concurrently and StackExchange.Redis pipelines them on the shared connection.
/// </summary>
internal sealed partial class RedisTickQueueWriter
{
    private static readonly TimeSpan BacklogRefreshPeriod = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ThrottlePollDelay = TimeSpan.FromMilliseconds(10);

    private readonly RedisKey _key;
    private readonly int _queue;
    private readonly RedisTickStreamOptions _options;
    private readonly RedisTickStreamStatistics _statistics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RedisValue _producer;
    private readonly ConditionalWeakTable<TickBatch, StrongBox<StreamEntryId>> _unsettled;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private StreamEntryId _last;
    private long _backlog;
    private long _backlogCheckedAt;
    private bool _measured;
    private bool _groupSeen;
    private StreamEntryId? _trimCountedAt;

    /// <summary>Creates the writer of <paramref name="queue"/>.</summary>
    /// <param name="queue">The queue number.</param>
    /// <param name="options">The provider's options.</param>
    /// <param name="statistics">The provider's counters.</param>
    /// <param name="time">The clock (entry ids and deadlines).</param>
    /// <param name="logger">Where to log.</param>
    /// <param name="producer">This process's producer id, written into every entry.</param>
    /// <param name="unsettled">Ids of writes that timed out without knowing whether they landed, by batch (shared by the queues).</param>
    public RedisTickQueueWriter(
        int queue, RedisTickStreamOptions options, RedisTickStreamStatistics statistics, TimeProvider time, ILogger logger,
        RedisValue producer, ConditionalWeakTable<TickBatch, StrongBox<StreamEntryId>> unsettled)
    {
        _queue = queue;
        _key = TickerKeys.InputStream(queue);
        _options = options;
        _statistics = statistics;
        _time = time;
        _logger = logger;
        _producer = producer;
        _unsettled = unsettled;
    }

    private enum WriteState : byte
    {
        Pending,
        Ambiguous,
        Done,
    }

    /// <summary>The backlog bound kept for this queue: the last measurement plus every entry written since.</summary>
    public long Backlog => Volatile.Read(ref _backlog);

    /// <summary>Writes one entry per batch, retrying with capped, jittered backoff until done or past the write timeout.</summary>
    /// <exception cref="TimeoutException">The queue stayed full, or Redis kept failing, for the whole write timeout.</exception>
    public async Task WriteAsync(IDatabase redis, StreamId streamId, IReadOnlyList<TickBatch> batches)
    {
        var deadline = _time.GetTimestamp() + (long)(_options.WriteTimeout.TotalSeconds * _time.TimestampFrequency);
        var entries = new Outgoing[batches.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            var batch = batches[i];
            entries[i] = _unsettled.TryGetValue(batch, out var earlier)
                ? new Outgoing(batch, earlier.Value, WriteState.Ambiguous)
                : new Outgoing(batch, null, WriteState.Pending);
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await ThrottleAsync(redis, deadline).ConfigureAwait(false);
                    await ResolveAmbiguousAsync(redis, entries).ConfigureAwait(false);
                    if (await TryWriteAsync(redis, streamId, entries).ConfigureAwait(false))
                    {
                        return;
                    }
                }
                catch (Exception ex) when (RedisErrors.IsRedisFailure(ex))
                {
                    _statistics.OnWriteRetry();
                    if (attempt == 1 || attempt % 20 == 0)
                    {
                        LogWriteFailed(_logger, _queue, attempt, ex.Message);
                    }

                    if (_time.GetTimestamp() > deadline)
                    {
                        throw new TimeoutException($"Writing to {_key} failed for {_options.WriteTimeout}: {ex.Message}", ex);
                    }

                    await Task.Delay(RetryBackoff.Delay(attempt, _options.MaxRetryDelay), _time).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            // Giving up (timeout) with some outcomes unknown: the caller's retry of the same batch checks these ids first.
            RememberUnsettled(entries);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sends the XADDs of the pending entries together; true when every entry is written.</summary>
    private async Task<bool> TryWriteAsync(IDatabase redis, StreamId streamId, Outgoing[] entries)
    {
        var sends = new Task<RedisValue>?[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            if (entry.State != WriteState.Pending)
            {
                continue;
            }

            entry.Id ??= NextId();
            var fields = RedisTickEntry.Encode(streamId, entry.Batch, _producer, _time.MicrosecondsNow());
            sends[i] = redis.StreamAddAsync(
                _key, fields, messageId: RedisTickEntry.FormatId(entry.Id.Value), maxLength: _options.MaxStreamLength, useApproximateMaxLength: true);
        }

        Exception? failure = null;
        var done = true;
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            if (sends[i] is not { } send)
            {
                continue;
            }

            try
            {
                await send.ConfigureAwait(false);
                Written(entry);
            }
            catch (RedisServerException ex) when (RedisErrors.IsIdTooSmall(ex))
            {
                // Another producer (or a clock step back) is ahead on this stream: continue after its last id.
                await AdvancePastTopAsync(redis).ConfigureAwait(false);
                entry.Id = null;
                done = false;
                _statistics.OnWriteRetry();
            }
            catch (Exception ex) when (RedisErrors.IsRedisFailure(ex))
            {
                entry.State = RedisErrors.MayHaveRun(ex) ? WriteState.Ambiguous : WriteState.Pending;
                failure ??= ex;
            }
        }

        if (failure is not null)
        {
            // Rethrown with its own stack: the retry loop counts, logs and backs off.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        return done;
    }

    /// <summary>Finds out whether the writes whose replies were lost landed: XRANGE on the id, written by this producer.</summary>
    private async Task ResolveAmbiguousAsync(IDatabase redis, Outgoing[] entries)
    {
        foreach (var entry in entries)
        {
            if (entry.State != WriteState.Ambiguous)
            {
                continue;
            }

            var id = RedisTickEntry.FormatId(entry.Id!.Value);
            var found = await redis.StreamRangeAsync(_key, id, id, count: 1).ConfigureAwait(false);
            if (found.Length == 1 && found[0][RedisTickEntry.Producer] == _producer)
            {
                Written(entry);
                LogLostReplyResolved(_logger, _queue, id.ToString());
            }
            else
            {
                // Not there, or another producer's: write it (again) under a fresh id if this one is taken.
                entry.State = WriteState.Pending;
                entry.Id = found.Length == 1 ? null : entry.Id;
            }
        }
    }

    private void Written(Outgoing entry)
    {
        entry.State = WriteState.Done;
        _unsettled.Remove(entry.Batch);
        Interlocked.Increment(ref _backlog);
        _statistics.OnWritten();
    }

    private void RememberUnsettled(Outgoing[] entries)
    {
        foreach (var entry in entries)
        {
            if (entry.State == WriteState.Ambiguous)
            {
                // The caller may publish the same batch again: that retry checks this id first instead of adding a copy.
                _unsettled.AddOrUpdate(entry.Batch, new StrongBox<StreamEntryId>(entry.Id!.Value));
            }
        }
    }

    private StreamEntryId NextId()
    {
        var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        _last = nowMs > _last.Milliseconds ? new StreamEntryId(nowMs, 0) : new StreamEntryId(_last.Milliseconds, _last.Sequence + 1);
        return _last;
    }

    private async Task AdvancePastTopAsync(IDatabase redis)
    {
        var info = await redis.StreamInfoAsync(_key).ConfigureAwait(false);
        if (RedisTickEntry.TryParseId(info.LastGeneratedId, out var top) && top.CompareTo(_last) > 0)
        {
            _last = top;
        }
    }

    /// <summary>
    /// Waits while the queue's backlog is at the bound. The bound kept is an upper bound (the last measurement plus
    /// every entry written since), so no burst outruns it; Redis is asked again when it reaches the limit, or once a
    /// second to keep the figure fresh.
    /// </summary>
    private async Task ThrottleAsync(IDatabase redis, long deadline)
    {
        var stale = !_measured || _time.GetElapsedTime(_backlogCheckedAt) >= BacklogRefreshPeriod;
        if (stale || Backlog >= _options.MaxBacklog)
        {
            await MeasureAsync(redis).ConfigureAwait(false);
        }

        if (Backlog < _options.MaxBacklog)
        {
            return;
        }

        LogThrottled(_logger, _queue, Backlog, _options.MaxBacklog);
        do
        {
            _statistics.OnThrottleWait();
            if (_time.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"{_key} stayed at its backlog bound ({_options.MaxBacklog} entries) for {_options.WriteTimeout}.");
            }

            await Task.Delay(ThrottlePollDelay, _time).ConfigureAwait(false);
            await MeasureAsync(redis).ConfigureAwait(false);
        }
        while (Backlog >= _options.MaxBacklog);
        LogThrottleEnded(_logger, _queue);
    }

    /// <summary>
    /// Measures the backlog (XINFO GROUPS: pending + lag), recreates a missing group (counted when it existed before),
    /// and counts entries trimmed before the group read them (its last-delivered id behind the stream's first entry).
    /// </summary>
    private async Task MeasureAsync(IDatabase redis)
    {
        StreamGroupInfo[] groups;
        StreamInfo info;
        try
        {
            var groupsTask = redis.StreamGroupInfoAsync(_key);
            var infoTask = redis.StreamInfoAsync(_key);

            // Both awaited together, so a failure of one never leaves the other unobserved.
            await Task.WhenAll(groupsTask, infoTask).ConfigureAwait(false);
            groups = await groupsTask.ConfigureAwait(false);
            info = await infoTask.ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (RedisErrors.IsMissingGroupOrStream(ex))
        {
            await EnsureGroupAsync(redis).ConfigureAwait(false);
            Measured(0);
            return;
        }

        foreach (var group in groups)
        {
            if (group.Name != TickerKeys.ConsumerGroup)
            {
                continue;
            }

            _groupSeen = true;
            CountTrimmedUnread(group, info);
            Measured(group.PendingMessageCount + (group.Lag ?? info.Length));
            return;
        }

        await EnsureGroupAsync(redis).ConfigureAwait(false);
        Measured(info.Length);
    }

    private void Measured(long backlog)
    {
        Volatile.Write(ref _backlog, backlog);
        _backlogCheckedAt = _time.GetTimestamp();
        _measured = true;
    }

    private void CountTrimmedUnread(StreamGroupInfo group, StreamInfo info)
    {
        if (!RedisTickEntry.TryParseId(group.LastDeliveredId, out var delivered)
            || !RedisTickEntry.TryParseId(info.FirstEntry.Id, out var first)
            || delivered.CompareTo(first) >= 0
            || delivered == _trimCountedAt)
        {
            return;
        }

        // Redis leaves entries-read unset for a group that has read nothing yet.
        if ((group.EntriesRead ?? (delivered == default ? 0 : null)) is not { } read)
        {
            return;
        }

        // Every entry still in the stream is after the group's position, so what was added and neither read nor kept
        // was trimmed unread.
        var lost = info.EntriesAdded - read - info.Length;
        if (lost > 0)
        {
            _trimCountedAt = delivered;
            _statistics.OnTrimmedUnread(_queue, lost);
            LogTrimmedUnread(_logger, _queue, lost);
        }
    }

    private async Task EnsureGroupAsync(IDatabase redis)
    {
        try
        {
            await redis.StreamCreateConsumerGroupAsync(_key, TickerKeys.ConsumerGroup, "0-0", createStream: true).ConfigureAwait(false);
            if (_groupSeen)
            {
                _statistics.OnRecreated();
                LogRecreated(_logger, _queue);
            }
        }
        catch (RedisServerException ex) when (RedisErrors.IsGroupExists(ex))
        {
            // A receiver created it first.
        }

        _groupSeen = true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue}: writing the tick stream failed (attempt {Attempt}); holding the batch and retrying: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, int queue, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Queue}: a write whose reply was lost had landed (entry {Id}); not written again")]
    private static partial void LogLostReplyResolved(ILogger logger, int queue, string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue}: the consumers are behind (backlog {Backlog} entries, bound {Bound}); the producer waits")]
    private static partial void LogThrottled(ILogger logger, int queue, long backlog, int bound);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Queue}: the consumers caught up; writing again")]
    private static partial void LogThrottleEnded(ILogger logger, int queue);

    [LoggerMessage(Level = LogLevel.Error, Message = "Queue {Queue}: {Count} entries were trimmed from the stream before the consumer group read them")]
    private static partial void LogTrimmedUnread(ILogger logger, int queue, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue}: the stream or its consumer group had been deleted; created again (entries deleted with it are lost)")]
    private static partial void LogRecreated(ILogger logger, int queue);

    /// <summary>One entry of a write call.</summary>
    private sealed class Outgoing(TickBatch batch, StreamEntryId? id, WriteState state)
    {
        public TickBatch Batch { get; } = batch;

        public StreamEntryId? Id { get; set; } = id;

        public WriteState State { get; set; } = state;
    }
}
