using System.Collections.Concurrent;
using System.Threading.Channels;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Grains.Streams;
using Ticker.Silo.Hosting;

namespace Ticker.Silo.Transports.Embedded;

/// <summary>
/// The in-process tick stream (Orleans' memory streams): one bounded channel of entries per shard. A full channel
/// makes the writer wait — back-pressure, never a silent drop.
/// </summary>
public sealed class EmbeddedTickStream : ITickStream, ITickStreamWriter, IStreamBacklogSource
{
    /// <summary>The default value for the entries queued per shard before the writer waits.</summary>
    public const int DefaultCapacityPerShard = 256;

    private readonly Channel<TickStreamEntry>[] _channels;
    private readonly ConcurrentQueue<TickStreamEntry> _pool = new();
    private readonly TickPartitioner _partitioner;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly TickStreamEntry[] _scratch;
    private long _sequence;

    /// <summary>Creates the stream over <paramref name="map"/>'s shards.</summary>
    public EmbeddedTickStream(ShardMap map, int capacityPerShard = DefaultCapacityPerShard)
    {
        _partitioner = new TickPartitioner(map);
        _channels = new Channel<TickStreamEntry>[map.ShardCount];
        for (var i = 0; i < _channels.Length; i++)
        {
            _channels[i] = Channel.CreateBounded<TickStreamEntry>(new BoundedChannelOptions(capacityPerShard)
            {
                SingleReader = true,
                SingleWriter = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
        }

        _scratch = new TickStreamEntry[map.ShardCount];
    }

    /// <inheritdoc />
    public int ShardCount => _channels.Length;

    /// <inheritdoc />
    public ITickStreamWriter Writer => this;

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<(long Lag, long Pending)>> ProbeBacklogAsync(CancellationToken cancellationToken)
    {
        var backlog = new (long, long)[_channels.Length];
        for (var shard = 0; shard < backlog.Length; shard++)
        {
            // A read entry is gone from the embedded stream: nothing is ever pending there.
            backlog[shard] = (_channels[shard].Reader.Count, 0);
        }

        return ValueTask.FromResult<IReadOnlyList<(long Lag, long Pending)>>(backlog);
    }

    /// <inheritdoc />
    public ValueTask<ITickStreamReader> OpenReaderAsync(int shard, CancellationToken cancellationToken) =>
        ValueTask.FromResult<ITickStreamReader>(new EmbeddedShardReader(shard, _channels[shard].Reader, _pool));

    /// <inheritdoc />
    public async ValueTask WriteAsync(ReadOnlyMemory<Tick> ticks, CancellationToken cancellationToken)
    {
        if (ticks.IsEmpty)
        {
            return;
        }

        // Writers may be several feeds; entries of one shard must keep their order, so writes are serialised.
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var i = 0; i < _scratch.Length; i++)
            {
                _scratch[i] = Rent();
            }

            _partitioner.Partition(ticks.Span, _scratch);
            for (var shard = 0; shard < _scratch.Length; shard++)
            {
                var entry = _scratch[shard];
                _scratch[shard] = null!;
                if (entry.Count == 0)
                {
                    _pool.Enqueue(entry);
                    continue;
                }

                var seq = Interlocked.Increment(ref _sequence);
                entry.Id = new StreamEntryId(seq, 0);
                if (!_channels[shard].Writer.TryWrite(entry))
                {
                    await _channels[shard].Writer.WriteAsync(entry, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private TickStreamEntry Rent()
    {
        if (_pool.TryDequeue(out var entry))
        {
            entry.Count = 0;
            return entry;
        }

        return new TickStreamEntry(256);
    }
}
