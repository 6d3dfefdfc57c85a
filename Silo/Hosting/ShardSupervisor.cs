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
/// Runs one <see cref="ShardWorker"/> per shard this silo owns (in the embedded mode: every shard) and stops them
/// gracefully: each flushes, writes and acknowledges what it holds before the host exits.
/// </summary>
public sealed partial class ShardSupervisor : BackgroundService
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
    private readonly IShardObserver _observer;
    private readonly Dictionary<int, ShardWorker> _workers = [];

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
        IShardObserver observer)
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

    /// <summary>The workers running now, by shard.</summary>
    public IReadOnlyCollection<ShardWorker> Workers
    {
        get
        {
            lock (_workers)
            {
                return [.. _workers.Values];
            }
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var runs = new List<Task>(_stream.ShardCount);
        for (var shard = 0; shard < _stream.ShardCount; shard++)
        {
            runs.Add(RunShardAsync(shard, stoppingToken));
        }

        LogStarted(_logger, _stream.ShardCount, _master.Count);
        await Task.WhenAll(runs).ConfigureAwait(false);
    }

    private async Task RunShardAsync(int shard, CancellationToken stoppingToken)
    {
        await using var reader = await _stream.OpenReaderAsync(shard, stoppingToken).ConfigureAwait(false);
        var worker = new ShardWorker(
            reader, _sink, _snapshots, _master, _validator, _map, _batching, _grains, _greeks, _time,
            _loggers.CreateLogger<ShardWorker>(), _statistics.Shards[shard], _observer);
        lock (_workers)
        {
            _workers[shard] = worker;
        }

        try
        {
            // Workers run on the thread pool, away from the caller's context.
            await Task.Run(() => worker.RunAsync(_silo.DrainTimeout, stoppingToken), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            lock (_workers)
            {
                _workers.Remove(shard);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo running {Shards} shard workers over {Instruments} instruments")]
    private static partial void LogStarted(ILogger logger, int shards, int instruments);
}
