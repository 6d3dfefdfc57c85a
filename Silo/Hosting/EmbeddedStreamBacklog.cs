using Ticker.Client.Ingestion;
using Ticker.Grains.Diagnostics;

namespace Ticker.Silo.Hosting;

/// <summary>
/// The backlog of the embedded silo's memory streams, per partition: batches published and not yet read (lag), and
/// read but not yet delivered, i.e. snapshots not yet written (pending). Producer and consumers share this process.
/// </summary>
public sealed class EmbeddedStreamBacklog : IStreamBacklogSource
{
    private readonly OrleansTickStreamWriter _writer;
    private readonly SiloStatistics _statistics;

    /// <summary>Creates the source.</summary>
    public EmbeddedStreamBacklog(OrleansTickStreamWriter writer, SiloStatistics statistics)
    {
        _writer = writer;
        _statistics = statistics;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<(long Lag, long Pending)>> ProbeBacklogAsync(CancellationToken cancellationToken)
    {
        var backlog = new (long Lag, long Pending)[_statistics.Shards.Count];
        for (var partition = 0; partition < backlog.Length; partition++)
        {
            var shard = _statistics.Shards[partition];
            var read = Volatile.Read(ref shard.EntriesRead);
            backlog[partition] = (Math.Max(0, _writer.BatchesPublishedTo(partition) - read), Math.Max(0, read - Volatile.Read(ref shard.EntriesDelivered)));
        }

        return ValueTask.FromResult<IReadOnlyList<(long Lag, long Pending)>>(backlog);
    }
}
