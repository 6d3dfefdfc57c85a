namespace Ticker.Silo.Hosting;

/// <summary>A tick stream that can tell how far behind its readers are (for the lag gauges and the status page).</summary>
public interface IStreamBacklogSource
{
    /// <summary>Per shard: entries not yet delivered (lag) and delivered but not yet acknowledged (pending).</summary>
    ValueTask<IReadOnlyList<(long Lag, long Pending)>> ProbeBacklogAsync(CancellationToken cancellationToken);
}
