using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Grains.Streams;
using Ticker.Protocol.Kite;
using Ticker.Protocol.Redis;
using Ticker.Protocol.Resp;

namespace Ticker.Silo.Transports.Redis;

/// <summary>
/// Writes ticks into the Redis tick streams: one entry per shard per call (<c>XADD tick:in:{shard} MAXLEN ~ N id
/// t {received µs} k {Kite binary message}</c>), all shards pipelined in one round trip. Entry ids are chosen here,
/// so a write retried after a lost reply is recognised (XRANGE on its id) and never duplicated. Before writing it
/// checks each shard's backlog (pending + lag of the consumer group) and waits while a shard is at
/// <see cref="RedisTransportOptions.MaxBacklog"/>: a slow silo slows the feed, trimming never drops unread ticks.
/// </summary>
public sealed partial class RedisTickStreamWriter : ITickStreamWriter, IRespReplyHandler
{
    private static readonly long BacklogRefreshInterval = Stopwatch.Frequency;

    private readonly RedisConnector _connector;
    private readonly RedisTransportOptions _options;
    private readonly ILogger _logger;
    private readonly TickPartitioner _partitioner;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly RedisBatch _batch = new(64 * 1024);
    private readonly TickStreamEntry[] _entries;
    private readonly byte[][] _keys;
    private readonly string[] _keyNames;
    private readonly byte[][] _frames;
    private readonly int[] _frameLengths;
    private readonly long[] _receivedAt;
    private readonly StreamEntryId[] _lastIds;
    private readonly StreamEntryId[] _ids;
    private readonly WriteState[] _states;
    private readonly int[] _commandShard;
    private readonly string?[] _errors;
    private readonly long[] _backlog;
    private bool _groupsReady;
    private long _backlogCheckedAt;
    private long _throttleWaits;
    private long _entriesWritten;
    private long _retries;

    /// <summary>Creates a writer over <paramref name="map"/>'s shards.</summary>
    public RedisTickStreamWriter(RedisConnector connector, ShardMap map, RedisTransportOptions options, ILogger logger)
    {
        _connector = connector;
        _options = options;
        _logger = logger;
        _partitioner = new TickPartitioner(map);
        var shards = map.ShardCount;
        _entries = new TickStreamEntry[shards];
        _keys = new byte[shards][];
        _keyNames = new string[shards];
        _frames = new byte[shards][];
        _frameLengths = new int[shards];
        _receivedAt = new long[shards];
        _lastIds = new StreamEntryId[shards];
        _ids = new StreamEntryId[shards];
        _states = new WriteState[shards];
        _commandShard = new int[shards];
        _errors = new string?[shards];
        _backlog = new long[shards];
        for (var shard = 0; shard < shards; shard++)
        {
            _entries[shard] = new TickStreamEntry(256);
            _keyNames[shard] = TickerKeys.InputStream(shard);
            _keys[shard] = Encoding.UTF8.GetBytes(_keyNames[shard]);
            _frames[shard] = new byte[16 * 1024];
        }
    }

    private enum WriteState : byte
    {
        Idle,
        Pending,
        Ambiguous,
    }

    /// <summary>Times a write waited because a shard's backlog was full.</summary>
    public long ThrottleWaits => Volatile.Read(ref _throttleWaits);

    /// <summary>Stream entries written.</summary>
    public long EntriesWritten => Volatile.Read(ref _entriesWritten);

    /// <summary>Write attempts retried after a failure.</summary>
    public long Retries => Volatile.Read(ref _retries);

    /// <summary>The largest backlog (pending + unread entries) of any shard at the last check.</summary>
    public long MaxObservedBacklog
    {
        get
        {
            long max = 0;
            for (var shard = 0; shard < _backlog.Length; shard++)
            {
                max = Math.Max(max, Volatile.Read(ref _backlog[shard]));
            }

            return max;
        }
    }

    /// <inheritdoc />
    public async ValueTask WriteAsync(ReadOnlyMemory<Tick> ticks, CancellationToken cancellationToken)
    {
        if (ticks.IsEmpty)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Prepare(ticks.Span);
            var redis = await _connector.GetAsync(cancellationToken).ConfigureAwait(false);
            await WriteWithRetryAsync(redis, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void OnReply(int index, RespReader reply)
    {
        if (reply.Read() && reply.IsError)
        {
            _errors[index] = reply.GetString();
        }
    }

    /// <summary>Creates the consumer group on every shard stream (a feed may start before any silo).</summary>
    internal static async Task EnsureGroupAsync(RedisConnection redis, string key, CancellationToken cancellationToken)
    {
        try
        {
            await redis.ExecuteAsync(["XGROUP", "CREATE", key, TickerKeys.ConsumerGroup, "0", "MKSTREAM"], cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Already there.
        }
    }

    private void Prepare(ReadOnlySpan<Tick> ticks)
    {
        foreach (var entry in _entries)
        {
            entry.Count = 0;
        }

        _partitioner.Partition(ticks, _entries);
        for (var shard = 0; shard < _entries.Length; shard++)
        {
            var entry = _entries[shard];
            if (entry.Count == 0)
            {
                _states[shard] = WriteState.Idle;
                continue;
            }

            var needed = KiteEncoder.MessageLength(entry.Ticks);
            if (_frames[shard].Length < needed)
            {
                _frames[shard] = new byte[Math.Max(needed, _frames[shard].Length * 2)];
            }

            _frameLengths[shard] = KiteEncoder.Encode(entry.Ticks, _frames[shard]);
            _receivedAt[shard] = entry.Buffer[0].ReceivedAtUs;
            _ids[shard] = NextId(shard);
            _states[shard] = WriteState.Pending;
        }
    }

    private StreamEntryId NextId(int shard)
    {
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var last = _lastIds[shard];
        var id = nowMs > last.Milliseconds ? new StreamEntryId(nowMs, 0) : new StreamEntryId(last.Milliseconds, last.Sequence + 1);
        _lastIds[shard] = id;
        return id;
    }

    private async Task WriteWithRetryAsync(RedisConnection redis, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (!_groupsReady)
                {
                    await EnsureGroupsAsync(redis, cancellationToken).ConfigureAwait(false);
                }

                await ThrottleAsync(redis, cancellationToken).ConfigureAwait(false);
                await ResolveAmbiguousAsync(redis, cancellationToken).ConfigureAwait(false);
                var commands = WriteCommands();
                if (commands == 0)
                {
                    return;
                }

                Array.Clear(_errors);
                var started = Stopwatch.GetTimestamp();
                await redis.ExecuteAsync(_batch, this, cancellationToken).ConfigureAwait(false);
                _connector.RecordPipeline(commands, started);
                var failed = await SettleRepliesAsync(redis, commands, cancellationToken).ConfigureAwait(false);
                if (failed is null)
                {
                    return;
                }

                throw new RedisServerException(failed);
            }
            catch (Exception ex) when (ex is RedisException && !cancellationToken.IsCancellationRequested)
            {
                _batch.Clear();
                _connector.RecordFailure(ex);
                if (ex is RedisConnectionException or RedisTimeoutException)
                {
                    // The commands may or may not have run: check before writing them again.
                    for (var shard = 0; shard < _states.Length; shard++)
                    {
                        if (_states[shard] == WriteState.Pending)
                        {
                            _states[shard] = WriteState.Ambiguous;
                        }
                    }
                }

                Interlocked.Increment(ref _retries);
                if (attempt == 1 || attempt % 20 == 0)
                {
                    LogWriteFailed(_logger, attempt, ex.Message);
                }

                var delay = Math.Min(2_000, 20 * Math.Pow(2, Math.Min(attempt - 1, 10)));
                await Task.Delay(TimeSpan.FromMilliseconds(delay * (0.5 + (Random.Shared.NextDouble() * 0.5))), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private int WriteCommands()
    {
        Span<byte> id = stackalloc byte[StreamEntryId.MaxUtf8Length];
        var commands = 0;
        for (var shard = 0; shard < _states.Length; shard++)
        {
            if (_states[shard] != WriteState.Pending)
            {
                continue;
            }

            _ids[shard].TryFormat(id, out var idLength);
            _batch.BeginCommand(10);
            _batch.Arg("XADD"u8);
            _batch.Arg(_keys[shard]);
            _batch.Arg("MAXLEN"u8);
            _batch.Arg("~"u8);
            _batch.Arg(_options.StreamMaxLength);
            _batch.Arg(id[..idLength]);
            _batch.Arg("t"u8);
            _batch.Arg(_receivedAt[shard]);
            _batch.Arg("k"u8);
            _batch.Arg(_frames[shard].AsSpan(0, _frameLengths[shard]));
            _commandShard[commands++] = shard;
        }

        return commands;
    }

    /// <returns>Null when every command succeeded or was re-queued with a fresh id; else the first error.</returns>
    private async Task<string?> SettleRepliesAsync(RedisConnection redis, int commands, CancellationToken cancellationToken)
    {
        string? failure = null;
        for (var i = 0; i < commands; i++)
        {
            var shard = _commandShard[i];
            var error = _errors[i];
            if (error is null)
            {
                _states[shard] = WriteState.Idle;
                Interlocked.Increment(ref _entriesWritten);
                Interlocked.Increment(ref _backlog[shard]);
            }
            else if (error.Contains("equal or smaller", StringComparison.Ordinal))
            {
                // Another writer is ahead on this stream: continue after its last id.
                await AdvancePastTopAsync(redis, shard, cancellationToken).ConfigureAwait(false);
                _ids[shard] = NextId(shard);
            }
            else
            {
                failure ??= error;
            }
        }

        if (failure is null && Array.IndexOf(_states, WriteState.Pending) >= 0)
        {
            // Some entries collided with another writer and got fresh ids: write those again.
            return await RetryPendingAsync(redis, cancellationToken).ConfigureAwait(false);
        }

        return failure;
    }

    private async Task<string?> RetryPendingAsync(RedisConnection redis, CancellationToken cancellationToken)
    {
        var commands = WriteCommands();
        Array.Clear(_errors);
        await redis.ExecuteAsync(_batch, this, cancellationToken).ConfigureAwait(false);
        return await SettleRepliesAsync(redis, commands, cancellationToken).ConfigureAwait(false);
    }

    private async Task ResolveAmbiguousAsync(RedisConnection redis, CancellationToken cancellationToken)
    {
        for (var shard = 0; shard < _states.Length; shard++)
        {
            if (_states[shard] != WriteState.Ambiguous)
            {
                continue;
            }

            var id = _ids[shard].ToString();
            var found = await redis.ExecuteAsync(["XRANGE", _keyNames[shard], id, id], cancellationToken).ConfigureAwait(false);
            if (found.AsArray().Count > 0)
            {
                _states[shard] = WriteState.Idle;
                Interlocked.Increment(ref _entriesWritten);
                Interlocked.Increment(ref _backlog[shard]);
            }
            else
            {
                _states[shard] = WriteState.Pending;
            }
        }
    }

    private async Task AdvancePastTopAsync(RedisConnection redis, int shard, CancellationToken cancellationToken)
    {
        var info = await redis.ExecuteAsync(["XINFO", "STREAM", _keyNames[shard]], cancellationToken).ConfigureAwait(false);
        var fields = info.AsArray();
        for (var i = 0; i + 1 < fields.Count; i += 2)
        {
            if (fields[i].AsString() == "last-generated-id"
                && StreamEntryId.TryParse(Encoding.ASCII.GetBytes(fields[i + 1].AsString() ?? ""), out var top)
                && top.CompareTo(_lastIds[shard]) > 0)
            {
                _lastIds[shard] = top;
            }
        }
    }

    private async Task EnsureGroupsAsync(RedisConnection redis, CancellationToken cancellationToken)
    {
        // Feed and silos must split tokens the same way, or ticks land in shards nobody owns for them.
        var agreed = await ShardCountAgreement.AgreeAsync(redis, _keyNames.Length, cancellationToken).ConfigureAwait(false);
        if (agreed != _keyNames.Length)
        {
            throw new InvalidOperationException(
                $"This feed uses {_keyNames.Length} shards but the cluster uses {agreed} (key {TickerKeys.ClusterShardCount}); use the same Silo:ShardCount (--shards) everywhere.");
        }

        foreach (var key in _keyNames)
        {
            await EnsureGroupAsync(redis, key, cancellationToken).ConfigureAwait(false);
        }

        _groupsReady = true;
    }

    /// <summary>
    /// Waits while a shard this write goes to is at the backlog limit. The backlog kept per shard is an upper bound
    /// (the last measurement plus every entry written since), so no burst can outrun it; Redis is asked again only
    /// when the bound reaches the limit, or once a second to keep the figure fresh.
    /// </summary>
    private async Task ThrottleAsync(RedisConnection redis, CancellationToken cancellationToken)
    {
        var stale = Stopwatch.GetTimestamp() - _backlogCheckedAt >= BacklogRefreshInterval;
        if (stale || AnyPendingShardFull())
        {
            await MeasureBacklogAsync(redis, cancellationToken).ConfigureAwait(false);
        }

        if (!AnyPendingShardFull())
        {
            return;
        }

        LogThrottled(_logger, MaxObservedBacklog, _options.MaxBacklog);
        do
        {
            Interlocked.Increment(ref _throttleWaits);
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
            await MeasureBacklogAsync(redis, cancellationToken).ConfigureAwait(false);
        }
        while (AnyPendingShardFull());
        LogThrottleEnded(_logger);
    }

    private bool AnyPendingShardFull()
    {
        for (var shard = 0; shard < _states.Length; shard++)
        {
            if (_states[shard] == WriteState.Pending && Volatile.Read(ref _backlog[shard]) >= _options.MaxBacklog)
            {
                return true;
            }
        }

        return false;
    }

    private async Task MeasureBacklogAsync(RedisConnection redis, CancellationToken cancellationToken)
    {
        var groups = new Task<RedisResult>[_keyNames.Length];
        var lengths = new Task<RedisResult>[_keyNames.Length];
        for (var shard = 0; shard < _keyNames.Length; shard++)
        {
            groups[shard] = redis.ExecuteAsync(["XINFO", "GROUPS", _keyNames[shard]], cancellationToken).AsTask();
            lengths[shard] = redis.ExecuteAsync(["XLEN", _keyNames[shard]], cancellationToken).AsTask();
        }

        for (var shard = 0; shard < _keyNames.Length; shard++)
        {
            var length = (await lengths[shard].ConfigureAwait(false)).AsInt64();
            Volatile.Write(ref _backlog[shard], GroupBacklog(await groups[shard].ConfigureAwait(false), length));
        }

        _backlogCheckedAt = Stopwatch.GetTimestamp();
    }

    /// <summary>Entries delivered to the ticker group but not yet acknowledged.</summary>
    internal static long GroupPending(RedisResult groups) => ReadGroup(groups)?.Pending ?? 0;

    /// <summary>Pending plus unread entries of the ticker group (the stream length when Redis cannot tell the lag).</summary>
    internal static long GroupBacklog(RedisResult groups, long streamLength) =>
        ReadGroup(groups) is { } group ? group.Pending + (group.Lag ?? streamLength) : streamLength;

    /// <summary>The ticker group's pending count and lag (null when Redis cannot tell) from an XINFO GROUPS reply.</summary>
    private static (long Pending, long? Lag)? ReadGroup(RedisResult groups)
    {
        foreach (var group in groups.AsArray())
        {
            var fields = group.AsArray();
            string? name = null;
            long pending = 0;
            long? lag = null;
            for (var i = 0; i + 1 < fields.Count; i += 2)
            {
                switch (fields[i].AsString())
                {
                    case "name":
                        name = fields[i + 1].AsString();
                        break;
                    case "pending":
                        pending = fields[i + 1].AsInt64();
                        break;
                    case "lag":
                        lag = fields[i + 1].Type == RespType.Integer ? fields[i + 1].AsInt64() : null;
                        break;
                }
            }

            if (name == TickerKeys.ConsumerGroup)
            {
                return (pending, lag);
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the tick stream failed (attempt {Attempt}); holding the ticks and retrying: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The silos are behind (backlog {Backlog} entries, limit {Limit}): slowing the feed")]
    private static partial void LogThrottled(ILogger logger, long backlog, int limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "The silos caught up: feeding at full speed again")]
    private static partial void LogThrottleEnded(ILogger logger);
}
