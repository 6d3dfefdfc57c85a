using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Protocol.Redis;
using Ticker.Silo.Metrics;

namespace Ticker.Silo.Transports.Redis;

/// <summary>
/// Writes each flushed batch to Redis in one round trip: one <see cref="SnapshotWriteScript"/> call that writes
/// <c>tick:snap:{token}</c> per instrument (its latest snapshot in the batch) unless the hash holds a newer stream
/// position, and publishes on <c>tick:updates:{underlying}</c> a JSON array of the batch's snapshots newer than what
/// Redis held; plus a
/// <c>ZADD tick:chain:{underlying}:{expiry}</c> the first time this process sees an option, pipelined with it.
/// Idempotent: writing the same batch twice leaves the same state. Snapshots refused as stale are counted in
/// <see cref="RefusedSnapshots"/>.
/// </summary>
public sealed partial class RedisSnapshotSink : ISnapshotSink
{
    private readonly IConnectionMultiplexer _redis;
    private readonly InstrumentMaster _master;
    private readonly bool _publish;
    private readonly ILogger _logger;
    private readonly RedisInstruments? _metrics;
    private readonly RedisKey[] _keys;
    private readonly byte[][] _symbols;
    private readonly int[] _channelOf;
    private readonly byte[][] _channels;
    private readonly RedisKey?[] _chainKeys;
    private readonly int[] _indexed;
    private readonly Stack<Scratch> _scratch = new();
    private long _refused;

    /// <summary>Creates the sink for <paramref name="master"/>'s instruments.</summary>
    /// <param name="redis">The process's multiplexer.</param>
    /// <param name="master">The instrument master.</param>
    /// <param name="options">Whether to publish updates.</param>
    /// <param name="logger">Where refused batches are reported.</param>
    /// <param name="metrics">Round trips and errors, when exported.</param>
    public RedisSnapshotSink(
        IConnectionMultiplexer redis, InstrumentMaster master, RedisTransportOptions options, ILogger<RedisSnapshotSink>? logger = null, RedisInstruments? metrics = null)
    {
        _redis = redis;
        _master = master;
        _publish = options.PublishUpdates;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _metrics = metrics;
        var count = master.Count;
        _keys = new RedisKey[count];
        _symbols = new byte[count][];
        _channelOf = new int[count];
        _chainKeys = new RedisKey?[count];
        _indexed = new int[count];
        var names = UnderlyingNames.Build(master);
        var channels = new List<string>();
        for (var id = 0; id < count; id++)
        {
            var instrument = master[id];
            _keys[id] = Encoding.UTF8.GetBytes(TickerKeys.Snapshot(instrument.InstrumentToken));
            _symbols[id] = Encoding.UTF8.GetBytes(instrument.TradingSymbol);
            var name = names.NameOf(instrument);
            var channel = channels.IndexOf(name);
            if (channel < 0)
            {
                channels.Add(name);
                channel = channels.Count - 1;
            }

            _channelOf[id] = channel;
            if (instrument.IsOption && instrument.Expiry is { } expiry && instrument.UnderlyingToken != 0)
            {
                _chainKeys[id] = (RedisKey)Encoding.UTF8.GetBytes(TickerKeys.Chain(name, expiry));
            }
        }

        _channels = new byte[channels.Count][];
        for (var i = 0; i < channels.Count; i++)
        {
            _channels[i] = Encoding.UTF8.GetBytes(TickerKeys.Updates(channels[i]));
        }
    }

    /// <summary>Snapshots not written because Redis held a newer position for their instrument (stale writers).</summary>
    public long RefusedSnapshots => Interlocked.Read(ref _refused);

    /// <inheritdoc />
    /// <remarks>
    /// Per batch: one script call (its arguments packed into one reused buffer), its task, and a key array
    /// when the batch's instrument count differs from the scratch's previous one. Nothing per snapshot.
    /// </remarks>
    public async ValueTask WriteAsync(ReadOnlyMemory<InstrumentSnapshot> underlyings, ReadOnlyMemory<InstrumentSnapshot> options, CancellationToken cancellationToken)
    {
        var scratch = Rent();
        var reusable = false;
        try
        {
            scratch.Begin();
            scratch.Args.Add(_publish ? _channels.Length : 0);
            Add(scratch, underlyings.Span);
            Add(scratch, options.Span);
            if (scratch.KeyCount == 0)
            {
                reusable = true;
                return;
            }

            if (_publish)
            {
                AddUpdates(scratch, underlyings.Span, options.Span);
            }

            var db = _redis.GetDatabase();
            var started = Stopwatch.GetTimestamp();
            scratch.Argument[0] = scratch.Args.Packed;
            var written = db.ScriptEvaluateAsync(SnapshotWriteScript.Lua, scratch.Keys(), scratch.Argument);
            foreach (var (key, token, strike) in scratch.NewlyIndexed)
            {
                scratch.Indexing.Add(db.SortedSetAddAsync(key, token, strike));
            }

            var refused = (long)await written.WaitAsync(cancellationToken).ConfigureAwait(false);
            foreach (var indexing in scratch.Indexing)
            {
                await indexing.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            _metrics?.RecordPipeline(1 + scratch.Indexing.Count, Stopwatch.GetElapsedTime(started).TotalSeconds);
            reusable = true;
            if (refused > 0)
            {
                Interlocked.Add(ref _refused, refused);
                LogRefused(_logger, refused, scratch.KeyCount);
            }
        }
        catch (Exception ex)
        {
            if (ex is not OperationCanceledException)
            {
                _metrics?.RecordError(ex switch
                {
                    RedisTimeoutException => RedisErrorType.Timeout,
                    RedisServerException => RedisErrorType.Server,
                    RedisConnectionException => RedisErrorType.Connection,
                    _ => RedisErrorType.Protocol,
                });
            }

            // A failed batch is written again whole; forget which options this attempt meant to index.
            foreach (var (_, token, _) in scratch.NewlyIndexed)
            {
                if (_master.TryGetId(token, out var id))
                {
                    Volatile.Write(ref _indexed[id], 0);
                }
            }

            throw;
        }
        finally
        {
            // After a failure the command may still be queued and reading the scratch's buffers: leave it to the GC.
            if (reusable)
            {
                Return(scratch);
            }
        }
    }

    /// <summary>Adds each instrument's latest snapshot of <paramref name="snapshots"/> (the last one in the batch).</summary>
    private void Add(Scratch scratch, ReadOnlySpan<InstrumentSnapshot> snapshots)
    {
        for (var i = snapshots.Length - 1; i >= 0; i--)
        {
            ref readonly var s = ref snapshots[i];
            if (!_master.TryGetId(s.InstrumentToken, out var id) || scratch.HasKey(id))
            {
                continue;
            }

            scratch.AddKey(id, _keys[id]);
            SnapshotWriteScript.AddPosition(scratch.Args, s.Position);
            var pairs = scratch.Args.AddCountPlaceholder();
            scratch.Args.SetCount(pairs, SnapshotHash.Write(scratch.Args, in s, _symbols[id]));
            if (_chainKeys[id] is { } chain && Interlocked.Exchange(ref _indexed[id], 1) == 0)
            {
                scratch.NewlyIndexed.Add((chain, s.InstrumentToken, s.Strike));
            }
        }
    }

    private void AddUpdates(Scratch scratch, ReadOnlySpan<InstrumentSnapshot> underlyings, ReadOnlySpan<InstrumentSnapshot> options)
    {
        for (var channel = 0; channel < _channels.Length; channel++)
        {
            scratch.Args.AddCopy(_channels[channel]);
            var count = scratch.Args.AddCountPlaceholder();
            var updates = AddUpdates(scratch, channel, underlyings) + AddUpdates(scratch, channel, options);
            scratch.Args.SetCount(count, updates);
        }
    }

    private int AddUpdates(Scratch scratch, int channel, ReadOnlySpan<InstrumentSnapshot> snapshots)
    {
        var updates = 0;
        foreach (ref readonly var s in snapshots)
        {
            if (!_master.TryGetId(s.InstrumentToken, out var id) || _channelOf[id] != channel)
            {
                continue;
            }

            // Each object is formatted on its own, so the script can leave out those of refused instruments.
            scratch.Buffer.ResetWrittenCount();
            scratch.Json.Reset(scratch.Buffer);
            SnapshotUpdateJson.Write(scratch.Json, in s);
            scratch.Json.Flush();
            scratch.Args.Add(scratch.KeyNumber(id));
            SnapshotWriteScript.AddPosition(scratch.Args, s.Position);
            scratch.Args.AddCopy(scratch.Buffer.WrittenSpan);
            updates++;
        }

        return updates;
    }

    private Scratch Rent()
    {
        lock (_scratch)
        {
            return _scratch.Count > 0 ? _scratch.Pop() : new Scratch(_master.Count);
        }
    }

    private void Return(Scratch scratch)
    {
        lock (_scratch)
        {
            _scratch.Push(scratch);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Refused} of {Instruments} snapshots of a batch: Redis holds newer stream positions for them (a stale writer, e.g. a silo that was paused and lost its queue)")]
    private static partial void LogRefused(ILogger logger, long refused, int instruments);

    /// <summary>One flusher's working state (a flush borrows one; flushes may run concurrently).</summary>
    private sealed class Scratch
    {
        // Per instrument id: the batch that last added its key, and the key's 1-based number in that batch.
        private readonly int[] _batchOf;
        private readonly int[] _keyNumber;
        private readonly List<RedisKey> _batchKeys = [];
        private RedisKey[] _keyArray = [];
        private int _batch;

        public Scratch(int instruments)
        {
            _batchOf = new int[instruments];
            _keyNumber = new int[instruments];
        }

        public PackedArguments Args { get; } = new();

        /// <summary>The script's one argument: <see cref="Args"/> packed (the array is reused).</summary>
        public RedisValue[] Argument { get; } = new RedisValue[1];

        public ArrayBufferWriter<byte> Buffer { get; } = new(4 * 1024);

        public Utf8JsonWriter Json { get; } = new(new ArrayBufferWriter<byte>());

        public List<(RedisKey Key, uint Token, double Strike)> NewlyIndexed { get; } = [];

        public List<Task<bool>> Indexing { get; } = [];

        public int KeyCount => _batchKeys.Count;

        public void Begin()
        {
            _batch++;
            _batchKeys.Clear();
            Args.Clear();
            NewlyIndexed.Clear();
            Indexing.Clear();
        }

        public bool HasKey(int id) => _batchOf[id] == _batch;

        public void AddKey(int id, RedisKey key)
        {
            _batchKeys.Add(key);
            _batchOf[id] = _batch;
            _keyNumber[id] = _batchKeys.Count;
        }

        public int KeyNumber(int id) => _keyNumber[id];

        /// <summary>The batch's keys as the exact-length array the script call needs (reused while the count repeats).</summary>
        public RedisKey[] Keys()
        {
            if (_keyArray.Length != _batchKeys.Count)
            {
                _keyArray = new RedisKey[_batchKeys.Count];
            }

            _batchKeys.CopyTo(_keyArray);
            return _keyArray;
        }
    }
}
