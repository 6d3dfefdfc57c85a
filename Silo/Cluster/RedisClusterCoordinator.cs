using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticker.Protocol.Redis;
using Ticker.Protocol.Resp;
using Ticker.Silo.Hosting;
using Ticker.Silo.Metrics;
using Ticker.Silo.Options;
using Ticker.Silo.Transports.Redis;

namespace Ticker.Silo.Cluster;

/// <summary>
/// Membership and shard ownership through Redis, as Orleans' Redis clustering does. Every third of a lease period this
/// silo heartbeats into the silo table, reads who is alive, works out which shards it should own (see <see cref="ShardAssignment"/>) and acts: renews its leases (compare-and-extend in Lua), hands over shards that should move
/// (flush, acknowledge, then release), and acquires free ones (SET NX PX), taking over their pending entries. A silo
/// that dies stops renewing; its leases expire and the others take its shards. Leaving gracefully releases everything.
/// </summary>
public sealed partial class RedisClusterCoordinator : BackgroundService, IClusterView
{
    private const string ExtendScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
    private const string ReleaseScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

    private readonly RedisConnector _connector;
    private readonly ShardSupervisor _supervisor;
    private readonly ClusterInstruments _metrics;
    private readonly IServer _server;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _logger;
    private readonly string _siloId;
    private readonly long _leaseMs;
    private readonly long _startedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private ClusterView _current;
    private long _takeovers;
    private long _lastRenewedMs;

    /// <summary>Creates the coordinator.</summary>
    public RedisClusterCoordinator(
        RedisConnector connector,
        ShardSupervisor supervisor,
        ClusterInstruments metrics,
        IServer server,
        IHostApplicationLifetime lifetime,
        IOptions<ClusterOptions> cluster,
        IOptions<SiloOptions> silo,
        ILogger<RedisClusterCoordinator> logger)
    {
        _connector = connector;
        _supervisor = supervisor;
        _metrics = metrics;
        _server = server;
        _lifetime = lifetime;
        _logger = logger;
        _siloId = silo.Value.SiloId;
        _leaseMs = (long)cluster.Value.LeasePeriod.TotalMilliseconds;
        _current = new ClusterView([], new string?[supervisor.ShardCount], 0);
    }

    /// <inheritdoc />
    public ClusterView Current => Volatile.Read(ref _current);

    /// <summary>Leaves the cluster: hands every shard over (flushed and acknowledged), releases the leases, leaves the table.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        foreach (var shard in _supervisor.OwnedShards)
        {
            await _supervisor.StopShardAsync(shard, graceful: true).ConfigureAwait(false);
            await TryAsync(redis => ReleaseAsync(redis, shard, cancellationToken)).ConfigureAwait(false);
        }

        await TryAsync(async redis => await redis.ExecuteAsync(["HDEL", TickerKeys.Silos, _siloId], cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        LogLeft(_logger, _siloId);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var redis = await _connector.GetAsync(stoppingToken).ConfigureAwait(false);
        if (!await AgreeOnShardCountAsync(redis, stoppingToken).ConfigureAwait(false))
        {
            _lifetime.StopApplication();
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(100, _leaseMs / 3)));
        do
        {
            try
            {
                await RoundAsync(redis, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException && !stoppingToken.IsCancellationRequested)
            {
                LogRoundFailed(_logger, ex.Message);
                await AbandonIfLeasesMayHaveExpiredAsync().ConfigureAwait(false);
            }
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<bool> AgreeOnShardCountAsync(RedisConnection redis, CancellationToken cancellationToken)
    {
        var agreed = await ShardCountAgreement.AgreeAsync(redis, _supervisor.ShardCount, cancellationToken).ConfigureAwait(false);
        if (agreed == _supervisor.ShardCount)
        {
            return true;
        }

        LogShardCountMismatch(_logger, _supervisor.ShardCount, agreed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?");
        return false;
    }

    private async Task RoundAsync(RedisConnection redis, CancellationToken cancellationToken)
    {
        var nowMs = await ServerTimeMsAsync(redis, cancellationToken).ConfigureAwait(false);
        await HeartbeatAsync(redis, nowMs, cancellationToken).ConfigureAwait(false);
        var silos = await ReadSilosAsync(redis, nowMs, cancellationToken).ConfigureAwait(false);
        var live = silos.Where(s => s.Live).Select(s => s.SiloId).ToList();
        if (!live.Contains(_siloId))
        {
            live.Add(_siloId);
        }

        var owned = _supervisor.OwnedShards;
        foreach (var shard in owned)
        {
            if (!await ExtendAsync(redis, shard, cancellationToken).ConfigureAwait(false))
            {
                LogLeaseLost(_logger, shard);
                _metrics.RecordLeaseLost();
                await _supervisor.StopShardAsync(shard, graceful: false).ConfigureAwait(false);
            }
        }

        _lastRenewedMs = nowMs;
        var assignment = ShardAssignment.Assign(_supervisor.ShardCount, live);
        for (var shard = 0; shard < _supervisor.ShardCount; shard++)
        {
            var desired = assignment[shard] == _siloId;
            var running = _supervisor.OwnedShards.Contains(shard);
            if (running && !desired)
            {
                // Rebalancing: hand the shard over cleanly, then let its new owner take the lease.
                await _supervisor.StopShardAsync(shard, graceful: true).ConfigureAwait(false);
                await ReleaseAsync(redis, shard, cancellationToken).ConfigureAwait(false);
                LogHandedOver(_logger, shard);
            }
            else if (!running && desired && await AcquireAsync(redis, shard, cancellationToken).ConfigureAwait(false))
            {
                await _supervisor.StartShardAsync(shard, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _takeovers);
                _metrics.RecordTakeover();
                LogAcquired(_logger, shard);
            }
        }

        var owners = new string?[_supervisor.ShardCount];
        var leaseKeys = new object[_supervisor.ShardCount + 1];
        leaseKeys[0] = "MGET";
        for (var shard = 0; shard < owners.Length; shard++)
        {
            leaseKeys[shard + 1] = TickerKeys.Lease(shard);
        }

        var holders = (await redis.ExecuteAsync(leaseKeys, cancellationToken).ConfigureAwait(false)).AsArray();
        for (var shard = 0; shard < owners.Length; shard++)
        {
            owners[shard] = holders[shard].AsString();
        }

        Volatile.Write(ref _current, new ClusterView(silos, owners, Interlocked.Read(ref _takeovers)));
        _metrics.SetLiveSilos(live.Count);
        _metrics.SetOwnedShards(_supervisor.OwnedShards.Count);
    }

    private async Task HeartbeatAsync(RedisConnection redis, long nowMs, CancellationToken cancellationToken)
    {
        var address = _server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "";
        var json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["silo_id"] = _siloId,
            ["address"] = address,
            ["heartbeat_ms"] = nowMs,
            ["started_ms"] = _startedMs,
        });
        await redis.ExecuteAsync(["HSET", TickerKeys.Silos, _siloId, json], cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<SiloEntry>> ReadSilosAsync(RedisConnection redis, long nowMs, CancellationToken cancellationToken)
    {
        var table = (await redis.ExecuteAsync(["HGETALL", TickerKeys.Silos], cancellationToken).ConfigureAwait(false)).AsArray();
        var silos = new List<SiloEntry>();
        for (var i = 0; i + 1 < table.Count; i += 2)
        {
            var id = table[i].AsString() ?? "";
            try
            {
                using var row = JsonDocument.Parse(table[i + 1].AsString() ?? "{}");
                var heartbeat = row.RootElement.GetProperty("heartbeat_ms").GetInt64();
                var age = nowMs - heartbeat;
                if (age > 20 * _leaseMs)
                {
                    // Long dead: tidy the table.
                    await redis.ExecuteAsync(["HDEL", TickerKeys.Silos, id], cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var address = row.RootElement.TryGetProperty("address", out var a) ? a.GetString() ?? "" : "";
                silos.Add(new SiloEntry(id, address, heartbeat, age <= _leaseMs));
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                LogBadSiloRow(_logger, id);
            }
        }

        silos.Sort(static (a, b) => a.Live != b.Live ? (a.Live ? -1 : 1) : string.CompareOrdinal(a.SiloId, b.SiloId));
        return silos;
    }

    private async Task<bool> AcquireAsync(RedisConnection redis, int shard, CancellationToken cancellationToken)
    {
        var reply = await redis.ExecuteAsync(["SET", TickerKeys.Lease(shard), _siloId, "NX", "PX", _leaseMs], cancellationToken).ConfigureAwait(false);
        return reply.Type != RespType.BulkString || reply.AsString() is not null;
    }

    private async Task<bool> ExtendAsync(RedisConnection redis, int shard, CancellationToken cancellationToken) =>
        (await redis.ExecuteAsync(["EVAL", ExtendScript, 1, TickerKeys.Lease(shard), _siloId, _leaseMs], cancellationToken).ConfigureAwait(false)).AsInt64() == 1;

    private async Task ReleaseAsync(RedisConnection redis, int shard, CancellationToken cancellationToken) =>
        await redis.ExecuteAsync(["EVAL", ReleaseScript, 1, TickerKeys.Lease(shard), _siloId], cancellationToken).ConfigureAwait(false);

    private static async Task<long> ServerTimeMsAsync(RedisConnection redis, CancellationToken cancellationToken)
    {
        // Redis' clock, so silos on machines with skewed clocks still agree on who is alive.
        var time = (await redis.ExecuteAsync(["TIME"], cancellationToken).ConfigureAwait(false)).AsArray();
        return (long.Parse(time[0].AsString()!, System.Globalization.CultureInfo.InvariantCulture) * 1000)
            + (long.Parse(time[1].AsString()!, System.Globalization.CultureInfo.InvariantCulture) / 1000);
    }

    private async Task AbandonIfLeasesMayHaveExpiredAsync()
    {
        // Without Redis the leases cannot be renewed; once they may have expired another silo may own the shards.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (_lastRenewedMs != 0 && now - _lastRenewedMs > _leaseMs)
        {
            foreach (var shard in _supervisor.OwnedShards)
            {
                LogLeaseLost(_logger, shard);
                _metrics.RecordLeaseLost();
                await _supervisor.StopShardAsync(shard, graceful: false).ConfigureAwait(false);
            }
        }
    }

    private async Task TryAsync(Func<RedisConnection, Task> action)
    {
        try
        {
            if (_connector.Shared is { } redis)
            {
                await action(redis).ConfigureAwait(false);
            }
        }
        catch (RedisException ex)
        {
            LogRoundFailed(_logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster: acquired shard {Shard}")]
    private static partial void LogAcquired(ILogger logger, int shard);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster: handed shard {Shard} over (flushed, acknowledged, released)")]
    private static partial void LogHandedOver(ILogger logger, int shard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster: lease of shard {Shard} lost; stopping its worker at once")]
    private static partial void LogLeaseLost(ILogger logger, int shard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster: membership round failed: {Reason}")]
    private static partial void LogRoundFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster: ignoring unreadable row of silo {SiloId} in the silo table")]
    private static partial void LogBadSiloRow(ILogger logger, string siloId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster: silo {SiloId} left the cluster")]
    private static partial void LogLeft(ILogger logger, string siloId);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Cluster: this silo uses {Mine} shards but the cluster uses {Cluster} (key tick:cluster:shards); stopping. Start every silo and feed with the same Silo:ShardCount")]
    private static partial void LogShardCountMismatch(ILogger logger, int mine, string cluster);
}
