using Microsoft.Extensions.DependencyInjection;
using Ticker.Grains.Interfaces.Market;
using Ticker.Streaming.Statistics;
using Ticker.Grains.Diagnostics;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Silo.Hosting;

namespace Ticker.Silo.Metrics;

/// <summary>
/// Once a second, feeds the gauges whose values live elsewhere: active accounts, stream lag and pending entries per
/// shard, owned shards, and on an Orleans silo the live silos and the silos declared dead of its membership. Pending
/// batch sizes are read at scrape time.
/// </summary>
public sealed class SiloGaugesService : BackgroundService
{
    private readonly TickInstruments _ticks;
    private readonly StreamInstruments _streams;
    private readonly ClusterInstruments _cluster;
    private readonly IAccountSource _accounts;
    private readonly SiloStatistics _statistics;
    private readonly IStreamBacklogSource? _backlog;
    private readonly RedisStreamMetrics? _redisStreams;
    private readonly IClusterMembershipService? _membership;
    private readonly HashSet<SiloAddress> _dead = [];
    private readonly TimeProvider _time;
    private readonly IDisposable _pendingUnderlyings;
    private readonly IDisposable _pendingOptions;

    /// <summary>Creates the service.</summary>
    public SiloGaugesService(
        TickInstruments ticks,
        StreamInstruments streams,
        ClusterInstruments cluster,
        BatchingInstruments batching,
        IAccountSource accounts,
        SiloStatistics statistics,
        IServiceProvider services,
        TimeProvider time)
    {
        _ticks = ticks;
        _streams = streams;
        _cluster = cluster;
        _accounts = accounts;
        _statistics = statistics;
        _backlog = services.GetService<IStreamBacklogSource>();
        if (services.GetKeyedService<RedisTickStreamStatistics>(ITickPartitionGrain.StreamProvider) is { } redisStreams)
        {
            _redisStreams = new RedisStreamMetrics(redisStreams, streams);
        }

        _membership = services.GetService<IClusterMembershipService>();
        streams.SetQueueCount(statistics.Shards.Count);
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
                _cluster.SetOwnedShards(_redisStreams?.QueuesOwned ?? _statistics.Shards.Count);
                _redisStreams?.Export();
                ObserveMembership();
                await CountActiveAccountsAsync(stoppingToken).ConfigureAwait(false);
                await ProbeStreamAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task CountActiveAccountsAsync(CancellationToken stoppingToken)
    {
        try
        {
            var active = 0;
            foreach (var account in await _accounts.GetAccountsAsync(stoppingToken).ConfigureAwait(false))
            {
                active += account.Active ? 1 : 0;
            }

            _ticks.SetActiveAccounts(active);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Redis down: keep the last value.
        }
    }

    private void ObserveMembership()
    {
        if (_membership is null)
        {
            return;
        }

        var live = 0;
        var newlyDead = 0;
        foreach (var member in _membership.CurrentSnapshot.Members.Values)
        {
            live += member.Status == SiloStatus.Active ? 1 : 0;
            newlyDead += member.Status == SiloStatus.Dead && _dead.Add(member.SiloAddress) ? 1 : 0;
        }

        _cluster.SetLiveSilos(live);
        _cluster.RecordSilosDeclaredDead(newlyDead);
    }

    private async Task ProbeStreamAsync(CancellationToken stoppingToken)
    {
        if (_backlog is not { } source)
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

    private long PendingSnapshots() => _statistics.PendingSnapshots;
}
