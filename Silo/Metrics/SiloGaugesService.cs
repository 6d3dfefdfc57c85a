using Microsoft.Extensions.Hosting;
using Ticker.Grains.Accounts;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Silo.Hosting;

namespace Ticker.Silo.Metrics;

/// <summary>
/// Once a second, feeds the gauges whose values live elsewhere: active accounts, stream lag and pending entries per
/// shard, owned shards. Pending batch sizes are read at scrape time.
/// </summary>
public sealed class SiloGaugesService : BackgroundService
{
    private readonly TickInstruments _ticks;
    private readonly StreamInstruments _streams;
    private readonly ClusterInstruments _cluster;
    private readonly AccountDirectory _accounts;
    private readonly ShardSupervisor _supervisor;
    private readonly ITickStream _stream;
    private readonly TimeProvider _time;
    private readonly IDisposable _pendingUnderlyings;
    private readonly IDisposable _pendingOptions;

    /// <summary>Creates the service.</summary>
    public SiloGaugesService(
        TickInstruments ticks,
        StreamInstruments streams,
        ClusterInstruments cluster,
        BatchingInstruments batching,
        AccountDirectory accounts,
        ShardSupervisor supervisor,
        ITickStream stream,
        TimeProvider time)
    {
        _ticks = ticks;
        _streams = streams;
        _cluster = cluster;
        _accounts = accounts;
        _supervisor = supervisor;
        _stream = stream;
        _time = time;

        // The batcher does not split its pending count by type; underlyings are few, so it is reported as options.
        _pendingUnderlyings = batching.ObservePendingSize(BatchType.Underlying, static () => 0);
        _pendingOptions = batching.ObservePendingSize(BatchType.Options, PendingSnapshots);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _pendingUnderlyings.Dispose();
        _pendingOptions.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var nowUs = (_time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
                _ticks.SetActiveAccounts(_accounts.ActiveCount(nowUs, AccountDirectory.DefaultStaleAfter));
                _cluster.SetOwnedShards(_supervisor.Workers.Count);
                await ProbeStreamAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task ProbeStreamAsync(CancellationToken stoppingToken)
    {
        if (_stream is not IStreamBacklogSource source)
        {
            return;
        }

        try
        {
            var backlog = await source.ProbeBacklogAsync(stoppingToken).ConfigureAwait(false);
            for (var shard = 0; shard < backlog.Count; shard++)
            {
                _streams.SetShardLag(shard, backlog[shard].Lag);
                _streams.SetShardPendingEntries(shard, backlog[shard].Pending);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Redis down: the gauges keep their last values; the Redis error metrics say why.
        }
    }

    private long PendingSnapshots()
    {
        long pending = 0;
        foreach (var worker in _supervisor.Workers)
        {
            pending += worker.PendingSnapshots;
        }

        return pending;
    }
}
