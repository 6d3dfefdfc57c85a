using Ticker.Grains.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticker.Grains.Batching;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Grains.Market;
using Ticker.Grains.Streams;
using Ticker.Grains.Validation;
using Ticker.Silo.Diagnostics;
using Ticker.Silo.Options;

namespace Ticker.Silo.Hosting;

/// <summary>
/// Runs one <see cref="ShardWorker"/> per shard this silo owns. Which shards it owns is decided elsewhere (all of them
/// in the embedded mode; leases in a cluster): <see cref="StartShardAsync"/> and <see cref="StopShardAsync"/> hand
/// shards in and out. At shutdown every worker flushes, writes and acknowledges what it holds before the host exits.
/// </summary>
public sealed partial class ShardSupervisor : IHostedService
{
    private readonly ITickStream _stream;
    private readonly ISnapshotSink _sink;
    private readonly ISnapshotReader _snapshots;
    private readonly InstrumentMaster _master;
    private readonly TickValidator _validator;
    private readonly ShardMap _map;
    private readonly BatchingOptions _batching;
    private readonly GrainOptions _grains;
    private readonly GreeksOptions _greeks;
    private readonly SiloOptions _silo;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly SiloStatistics _statistics;
    private readonly IPipelineObserver _observer;
    private readonly Dictionary<int, RunningShard> _running = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Creates the supervisor.</summary>
    public ShardSupervisor(
        ITickStream stream,
        ISnapshotSink sink,
        ISnapshotReader snapshots,
        InstrumentMaster master,
        TickValidator validator,
        ShardMap map,
        IOptions<BatchingOptions> batching,
        IOptions<GrainOptions> grains,
        IOptions<GreeksOptions> greeks,
        IOptions<SiloOptions> silo,
        TimeProvider time,
        ILoggerFactory loggers,
        SiloStatistics statistics,
        IPipelineObserver observer)
    {
        _stream = stream;
        _sink = sink;
        _snapshots = snapshots;
        _master = master;
        _validator = validator;
        _map = map;
        _batching = batching.Value;
        _grains = grains.Value;
        _greeks = greeks.Value;
        _silo = silo.Value;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<ShardSupervisor>();
        _statistics = statistics;
        _observer = observer;
    }

    /// <summary>The number of shards of the stream.</summary>
    public int ShardCount => _stream.ShardCount;

    /// <summary>The workers running now.</summary>
    public IReadOnlyCollection<ShardWorker> Workers
    {
        get
        {
            lock (_running)
            {
                return [.. _running.Values.Select(r => r.Worker).OfType<ShardWorker>()];
            }
        }
    }

    /// <summary>The shards this silo runs now, ascending.</summary>
    public IReadOnlyList<int> OwnedShards
    {
        get
        {
            lock (_running)
            {
                return [.. _running.Keys.Order()];
            }
        }
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var shard in OwnedShards)
        {
            await StopShardAsync(shard, graceful: true).ConfigureAwait(false);
        }
    }

    /// <summary>Starts the worker of <paramref name="shard"/> (restoring its grains, taking over pending entries); no-op when running.</summary>
    public async Task StartShardAsync(int shard, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_running)
            {
                if (_running.ContainsKey(shard))
                {
                    return;
                }
            }

            var stop = new CancellationTokenSource();
            var running = new RunningShard(stop);
            lock (_running)
            {
                _running[shard] = running;
            }

            running.Run = Task.Run(() => RunShardAsync(shard, running), CancellationToken.None);
            LogShardStarted(_logger, shard);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Stops the worker of <paramref name="shard"/>: gracefully (drain, flush, acknowledge) when handing it over, or
    /// at once when its lease was lost.
    /// </summary>
    public async Task StopShardAsync(int shard, bool graceful)
    {
        RunningShard? running;
        lock (_running)
        {
            _running.Remove(shard, out running);
        }

        if (running is null)
        {
            return;
        }

        await running.Stop.CancelAsync().ConfigureAwait(false);
        if (!graceful)
        {
            running.Worker?.Abandon();
        }

        try
        {
            await (running.Run ?? Task.CompletedTask).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped before it started reading.
        }
        catch (Exception ex)
        {
            LogShardFailed(_logger, shard, ex.Message);
        }
        finally
        {
            running.Stop.Dispose();
        }

        LogShardStopped(_logger, shard, graceful);
    }

    private async Task RunShardAsync(int shard, RunningShard running)
    {
        await using var reader = await _stream.OpenReaderAsync(shard, running.Stop.Token).ConfigureAwait(false);
        var worker = new ShardWorker(
            reader, _sink, _snapshots, _master, _validator, _map, _batching, _grains, _greeks, _time,
            _loggers.CreateLogger<ShardWorker>(), _statistics.Shards[shard], _observer, _statistics);
        running.Worker = worker;
        await worker.RunAsync(_silo.DrainTimeout, running.Stop.Token).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Shard {Shard}: worker started")]
    private static partial void LogShardStarted(ILogger logger, int shard);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shard {Shard}: worker stopped (graceful: {Graceful})")]
    private static partial void LogShardStopped(ILogger logger, int shard, bool graceful);

    [LoggerMessage(Level = LogLevel.Error, Message = "Shard {Shard}: worker failed: {Reason}")]
    private static partial void LogShardFailed(ILogger logger, int shard, string reason);

    private sealed class RunningShard(CancellationTokenSource stop)
    {
        public CancellationTokenSource Stop { get; } = stop;

        public Task? Run { get; set; }

        public ShardWorker? Worker { get; set; }
    }
}
