using System.Collections.Concurrent;
using System.Threading.Channels;
using Ticker.Grains.Interfaces.Streams;

namespace Ticker.Silo.Transports.Embedded;

/// <summary>Reads one shard's channel of the embedded stream. Acknowledging is a no-op: a read entry is gone.</summary>
internal sealed class EmbeddedShardReader : ITickStreamReader
{
    private readonly ChannelReader<TickStreamEntry> _channel;
    private readonly ConcurrentQueue<TickStreamEntry> _pool;
    private CancellationTokenSource _timeout = new();

    public EmbeddedShardReader(int shard, ChannelReader<TickStreamEntry> channel, ConcurrentQueue<TickStreamEntry> pool)
    {
        Shard = shard;
        _channel = channel;
        _pool = pool;
    }

    public int Shard { get; }

    public bool HasBuffered => _channel.Count > 0;

    public async ValueTask<TickStreamEntry?> ReadAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        if (_channel.TryRead(out var entry))
        {
            return entry;
        }

        if (maxWait <= TimeSpan.Zero)
        {
            return null;
        }

        if (!_timeout.TryReset())
        {
            _timeout.Dispose();
            _timeout = new CancellationTokenSource();
        }

        _timeout.CancelAfter(maxWait);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _timeout.Token);
        try
        {
            if (await _channel.WaitToReadAsync(linked.Token).ConfigureAwait(false) && _channel.TryRead(out entry))
            {
                return entry;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The wait ran its course with nothing to read.
        }

        return null;
    }

    public ValueTask AckAsync(ReadOnlyMemory<StreamEntryId> ids, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public void Release(TickStreamEntry entry)
    {
        entry.Count = 0;
        _pool.Enqueue(entry);
    }

    public ValueTask DisposeAsync()
    {
        _timeout.Dispose();
        return ValueTask.CompletedTask;
    }
}
