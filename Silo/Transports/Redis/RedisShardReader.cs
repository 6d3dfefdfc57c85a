using System.Text;
using Microsoft.Extensions.Logging;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Protocol.Kite;
using Ticker.Protocol.Redis;
using Ticker.Protocol.Resp;

namespace Ticker.Silo.Transports.Redis;

/// <summary>
/// Reads one shard's stream <c>tick:in:{shard}</c> with the <c>ticker</c> consumer group. On open it takes over every
/// pending entry of the shard (XAUTOCLAIM, since this silo now owns the shard) and delivers them first, in id order,
/// then new entries (XREADGROUP &gt;, blocking on a connection of its own so other commands never wait behind it).
/// An entry that cannot be decoded goes to <c>tick:deadletter</c> with its reason and is acknowledged.
/// </summary>
internal sealed partial class RedisShardReader : ITickStreamReader, IRespReplyHandler
{
    private static readonly TimeSpan ReplyAllowance = TimeSpan.FromSeconds(5);
    private static readonly byte[] DeadLetterKey = Encoding.UTF8.GetBytes(TickerKeys.DeadLetter);

    private readonly RedisConnector _connector;
    private readonly RedisConnection _read;
    private readonly RedisTransportOptions _options;
    private readonly RedisStreamStatistics _statistics;
    private readonly ILogger _logger;
    private readonly string _key;
    private readonly byte[] _keyBytes;
    private readonly byte[] _consumer;
    private readonly byte[] _group = Encoding.UTF8.GetBytes(TickerKeys.ConsumerGroup);
    private readonly RedisBatch _batch = new();
    private readonly Queue<TickStreamEntry> _ready = new();
    private readonly Stack<TickStreamEntry> _pool = new();
    private readonly List<(StreamEntryId Id, string Reason, byte[] Payload)> _dead = [];
    private readonly List<StreamEntryId> _trimmed = [];
    private StreamEntryId? _historyCursor = default(StreamEntryId);
    private int _lastReplyEntries;

    private RedisShardReader(
        int shard, RedisConnector connector, RedisConnection read, RedisTransportOptions options, string consumer,
        RedisStreamStatistics statistics, ILogger logger)
    {
        Shard = shard;
        _connector = connector;
        _read = read;
        _options = options;
        _statistics = statistics;
        _logger = logger;
        _key = TickerKeys.InputStream(shard);
        _keyBytes = Encoding.UTF8.GetBytes(_key);
        _consumer = Encoding.UTF8.GetBytes(consumer);
    }

    public int Shard { get; }

    public bool HasBuffered => _ready.Count > 0;

    /// <summary>Opens the reader and takes over the shard's pending entries.</summary>
    public static async Task<RedisShardReader> OpenAsync(
        int shard, RedisConnector connector, RedisTransportOptions options, string consumer, RedisStreamStatistics statistics,
        ILogger logger, CancellationToken cancellationToken)
    {
        var redis = await connector.GetAsync(cancellationToken).ConfigureAwait(false);
        var key = TickerKeys.InputStream(shard);
        await RedisTickStreamWriter.EnsureGroupAsync(redis, key, cancellationToken).ConfigureAwait(false);
        var claimed = await ClaimPendingAsync(redis, key, consumer, statistics, cancellationToken).ConfigureAwait(false);
        statistics.OnClaimed(claimed);
        var read = await connector.ConnectDedicatedAsync($"shard {shard} reader", cancellationToken).ConfigureAwait(false);
        var reader = new RedisShardReader(shard, connector, read, options, consumer, statistics, logger);
        LogOpened(logger, shard, claimed);
        return reader;
    }

    public async ValueTask<TickStreamEntry?> ReadAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        if (_ready.Count == 0)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                // Stopping: hand out only what was already fetched; nothing new is claimed for this consumer.
                return null;
            }

            await FetchAsync(maxWait, cancellationToken).ConfigureAwait(false);
        }

        return _ready.TryDequeue(out var entry) ? entry : null;
    }

    public async ValueTask AckAsync(ReadOnlyMemory<StreamEntryId> ids, CancellationToken cancellationToken)
    {
        if (ids.IsEmpty)
        {
            return;
        }

        var redis = await _connector.GetAsync(cancellationToken).ConfigureAwait(false);
        using var batch = new RedisBatch();
        WriteAck(batch, ids.Span);
        await redis.ExecuteAsync(batch, null, cancellationToken).ConfigureAwait(false);
        _statistics.OnAcked(ids.Length);
    }

    public void Release(TickStreamEntry entry)
    {
        entry.Count = 0;
        _pool.Push(entry);
    }

    public async ValueTask DisposeAsync()
    {
        _batch.Dispose();
        await _connector.ReleaseAsync(_read).ConfigureAwait(false);
    }

    /// <summary>Parses an XREADGROUP reply into entries (on the connection's reader loop).</summary>
    public void OnReply(int index, RespReader reply)
    {
        _lastReplyEntries = 0;
        if (reply.ReadArrayLength() <= 0)
        {
            return;
        }

        reply.ReadArrayLength();
        reply.ReadBulkString();
        var entries = reply.ReadArrayLength();
        for (var e = 0; e < entries; e++)
        {
            reply.ReadArrayLength();
            StreamEntryId.TryParse(reply.ReadBulkString(), out var id);
            _lastReplyEntries++;
            if (_historyCursor is not null)
            {
                _historyCursor = id;
            }

            var fields = reply.ReadArrayLength();
            if (fields < 0)
            {
                // In the pending list but trimmed from the stream.
                _trimmed.Add(id);
                continue;
            }

            long receivedAt = 0;
            ReadOnlySpan<byte> payload = default;
            for (var f = 0; f < fields / 2; f++)
            {
                var name = reply.ReadBulkString();
                var value = reply.ReadBulkString();
                if (name.SequenceEqual("t"u8))
                {
                    System.Buffers.Text.Utf8Parser.TryParse(value, out receivedAt, out _);
                }
                else if (name.SequenceEqual("k"u8))
                {
                    payload = value;
                }
            }

            Decode(id, receivedAt, payload);
        }
    }

    private void Decode(StreamEntryId id, long receivedAt, ReadOnlySpan<byte> payload)
    {
        var packets = KiteDecoder.ReadPacketCount(payload);
        var entry = _pool.Count > 0 ? _pool.Pop() : new TickStreamEntry(Math.Max(packets, 256));
        entry.EnsureCapacity(Math.Max(packets, 1));
        var error = packets < 0 ? KiteDecodeError.TruncatedHeader : KiteDecoder.TryDecode(payload, entry.Buffer, receivedAt, out var written);
        if (error != KiteDecodeError.None)
        {
            entry.Count = 0;
            _pool.Push(entry);
            _dead.Add((id, error.ToString(), payload.ToArray()));
            return;
        }

        entry.Id = id;
        entry.Count = packets;
        _ready.Enqueue(entry);
    }

    private async Task FetchAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var history = _historyCursor is not null;
        var blockMs = history || maxWait <= TimeSpan.Zero ? 0 : Math.Max(1, (long)maxWait.TotalMilliseconds);
        Span<byte> cursor = stackalloc byte[StreamEntryId.MaxUtf8Length];
        var cursorLength = 0;
        if (history)
        {
            _historyCursor!.Value.TryFormat(cursor, out cursorLength);
        }

        // XREADGROUP GROUP g c COUNT n [BLOCK ms] STREAMS key id
        _batch.BeginCommand(blockMs > 0 ? 11 : 9);
        _batch.Arg("XREADGROUP"u8);
        _batch.Arg("GROUP"u8);
        _batch.Arg(_group);
        _batch.Arg(_consumer);
        _batch.Arg("COUNT"u8);
        _batch.Arg(_options.ReadCount);
        if (blockMs > 0)
        {
            _batch.Arg("BLOCK"u8);
            _batch.Arg(blockMs);
        }

        _batch.Arg("STREAMS"u8);
        _batch.Arg(_keyBytes);
        _batch.Arg(history ? cursor[..cursorLength] : ">"u8);
        try
        {
            await _read.ExecuteAsync(_batch, this, TimeSpan.FromMilliseconds(blockMs) + ReplyAllowance, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _batch.Clear();

            // The reply may have been lost after Redis delivered (and recorded as pending) entries this reader never
            // saw: read this consumer's pending list again from the start. Entries already applied are skipped by
            // their grains' stream positions; their acknowledgements are harmless repeats.
            _historyCursor = default(StreamEntryId);
            throw;
        }

        _statistics.OnRead(_lastReplyEntries);
        if (history && _lastReplyEntries == 0)
        {
            // Every pending entry has been delivered again; from now on only new ones.
            _historyCursor = null;
        }

        await SettleDeadAndTrimmedAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task SettleDeadAndTrimmedAsync(CancellationToken cancellationToken)
    {
        if (_dead.Count == 0 && _trimmed.Count == 0)
        {
            return;
        }

        var redis = await _connector.GetAsync(cancellationToken).ConfigureAwait(false);
        using var batch = new RedisBatch();
        foreach (var (id, reason, payload) in _dead)
        {
            batch.BeginCommand(14);
            batch.Arg("XADD"u8);
            batch.Arg(DeadLetterKey);
            batch.Arg("MAXLEN"u8);
            batch.Arg("~"u8);
            batch.Arg(10_000);
            batch.Arg("*"u8);
            batch.Arg("stream"u8);
            batch.Arg(_keyBytes);
            batch.Arg("id"u8);
            batch.Arg(id.ToString());
            batch.Arg("reason"u8);
            batch.Arg(reason);
            batch.Arg("payload"u8);
            batch.Arg(payload);
        }

        var ids = new StreamEntryId[_dead.Count + _trimmed.Count];
        for (var i = 0; i < _dead.Count; i++)
        {
            ids[i] = _dead[i].Id;
        }

        _trimmed.CopyTo(ids, _dead.Count);
        WriteAck(batch, ids);
        await redis.ExecuteAsync(batch, null, cancellationToken).ConfigureAwait(false);
        foreach (var (id, reason, _) in _dead)
        {
            _statistics.OnDeadLettered(reason);
            LogDeadLettered(_logger, Shard, id.ToString(), reason);
        }

        if (_trimmed.Count > 0)
        {
            _statistics.OnTrimmed(_trimmed.Count);
            LogTrimmed(_logger, Shard, _trimmed.Count);
        }

        _dead.Clear();
        _trimmed.Clear();
    }

    private void WriteAck(RedisBatch batch, ReadOnlySpan<StreamEntryId> ids)
    {
        Span<byte> text = stackalloc byte[StreamEntryId.MaxUtf8Length];
        batch.BeginCommand(3 + ids.Length);
        batch.Arg("XACK"u8);
        batch.Arg(_keyBytes);
        batch.Arg(_group);
        foreach (var id in ids)
        {
            id.TryFormat(text, out var length);
            batch.Arg(text[..length]);
        }
    }

    /// <summary>Moves every pending entry of the shard, whoever holds it, to this consumer (ids only).</summary>
    private static async Task<int> ClaimPendingAsync(
        RedisConnection redis, string key, string consumer, RedisStreamStatistics statistics, CancellationToken cancellationToken)
    {
        var claimed = 0;
        var cursor = "0-0";
        do
        {
            var reply = await redis.ExecuteAsync(
                ["XAUTOCLAIM", key, TickerKeys.ConsumerGroup, consumer, "0", cursor, "COUNT", "1000", "JUSTID"], cancellationToken).ConfigureAwait(false);
            var parts = reply.AsArray();
            cursor = parts[0].AsString() ?? "0-0";
            claimed += parts[1].AsArray().Count;
            if (parts.Count > 2 && parts[2].AsArray().Count is var deleted and > 0)
            {
                // Redis drops pending ids whose entries were trimmed away; those ticks are gone.
                statistics.OnTrimmed(deleted);
            }
        }
        while (cursor != "0-0");
        return claimed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Shard {Shard}: reading tick stream; took over {Claimed} pending entries")]
    private static partial void LogOpened(ILogger logger, int shard, int claimed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shard {Shard}: entry {Id} could not be decoded ({Reason}); moved to tick:deadletter")]
    private static partial void LogDeadLettered(ILogger logger, int shard, string id, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Shard {Shard}: {Count} pending entries had been trimmed from the stream before they were processed")]
    private static partial void LogTrimmed(ILogger logger, int shard, int count);
}
