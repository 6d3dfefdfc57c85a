using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;
using Ticker.Grains.Batching;
using Ticker.Grains.Interfaces.Market;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Grains.Streams;

namespace Ticker.Client.Ingestion;

/// <summary>
/// The ingestion side of the Orleans tick stream: splits each frame's ticks by partition (a hash of the token;
/// underlyings copied to every partition) and publishes one <see cref="TickBatch"/> per partition, never one event per
/// tick. When the stream will not take a batch (its queue is full) it waits and tries again (back-pressure) until
/// cancelled. One producer per instance.
/// </summary>
public sealed partial class OrleansTickStreamWriter : ITickStreamWriter
{
    /// <summary>
    /// The most ticks one event carries: about 75 KB of ticks, under the large-object heap's 85 KB, so event payloads
    /// stay cheap young garbage. A partition consumer takes many events in one delivery under load.
    /// </summary>
    public const int MaxTicksPerEvent = 192;

    private readonly IClusterClient _client;
    private readonly IAsyncStream<TickBatch>?[] _streams;
    private readonly TickPartitioner _partitioner;
    private readonly TickStreamEntry[] _entries;
    private Task[] _publishes;
    private readonly long[] _publishedPerPartition;
    private readonly ILogger _logger;
    private long _batches;
    private long _ticks;
    private long _retries;

    /// <summary>Creates a writer publishing through <paramref name="client"/> over <paramref name="map"/>'s partitions.</summary>
    public OrleansTickStreamWriter(IClusterClient client, ShardMap map, ILogger<OrleansTickStreamWriter> logger)
    {
        _client = client;
        _streams = new IAsyncStream<TickBatch>?[map.ShardCount];
        _entries = new TickStreamEntry[map.ShardCount];
        for (var partition = 0; partition < map.ShardCount; partition++)
        {
            _entries[partition] = new TickStreamEntry(256);
        }

        _publishes = new Task[map.ShardCount];
        _publishedPerPartition = new long[map.ShardCount];
        _partitioner = new TickPartitioner(map);
        _logger = logger;
    }

    /// <summary>Batches published.</summary>
    public long BatchesPublished => Volatile.Read(ref _batches);

    /// <summary>Ticks published (each counted once, though an underlying's copies go to every partition).</summary>
    public long TicksPublished => Volatile.Read(ref _ticks);

    /// <summary>Batches published to <paramref name="partition"/>.</summary>
    public long BatchesPublishedTo(int partition) => Volatile.Read(ref _publishedPerPartition[partition]);

    /// <summary>Publishes retried because the stream would not take them.</summary>
    public long Retries => Volatile.Read(ref _retries);

    /// <inheritdoc />
    public async ValueTask WriteAsync(ReadOnlyMemory<Tick> ticks, CancellationToken cancellationToken)
    {
        foreach (var entry in _entries)
        {
            entry.Count = 0;
        }

        _partitioner.Partition(ticks.Span, _entries);
        var count = 0;
        for (var partition = 0; partition < _entries.Length; partition++)
        {
            var entry = _entries[partition].Ticks;
            for (var start = 0; start < entry.Length; start += MaxTicksPerEvent)
            {
                if (count == _publishes.Length)
                {
                    Array.Resize(ref _publishes, count * 2);
                }

                var chunk = entry.Slice(start, Math.Min(MaxTicksPerEvent, entry.Length - start));
                _publishes[count++] = PublishAsync(partition, new TickBatch(chunk), cancellationToken);
            }
        }

        await Task.WhenAll(_publishes.AsSpan(0, count)).ConfigureAwait(false);
        Array.Clear(_publishes, 0, count);
        Interlocked.Add(ref _ticks, ticks.Length);
    }

    private async Task PublishAsync(int partition, TickBatch batch, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StreamOf(partition).OnNextAsync(batch).ConfigureAwait(false);
                Interlocked.Increment(ref _batches);
                Interlocked.Increment(ref _publishedPerPartition[partition]);
                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _retries);
                if (attempt == 1 || attempt % 50 == 0)
                {
                    LogPublishRetry(_logger, partition, attempt, ex.Message);
                }

                await Task.Delay(RetryBackoff.Delay(attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // Resolved on first use: the stream provider exists only once the silo (or client) has started.
    private IAsyncStream<TickBatch> StreamOf(int partition) => _streams[partition] ??= _client
        .GetStreamProvider(ITickPartitionGrain.StreamProvider)
        .GetStream<TickBatch>(StreamId.Create(ITickPartitionGrain.StreamNamespace, partition));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: the tick stream did not take a batch (attempt {Attempt}); waiting: {Reason}")]
    private static partial void LogPublishRetry(ILogger logger, int partition, int attempt, string reason);
}
