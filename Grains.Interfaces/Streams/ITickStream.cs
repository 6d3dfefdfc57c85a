namespace Ticker.Grains.Interfaces.Streams;

/// <summary>A tick-stream transport (embedded channels or Redis streams): one writer, one reader per shard.</summary>
public interface ITickStream
{
    /// <summary>How many shards the stream is split into (token mod shard count).</summary>
    int ShardCount { get; }

    /// <summary>The ingestion side.</summary>
    ITickStreamWriter Writer { get; }

    /// <summary>Opens the reader of one shard (taking over its pending entries first where the transport keeps them).</summary>
    ValueTask<ITickStreamReader> OpenReaderAsync(int shard, CancellationToken cancellationToken);
}
