using Ticker.Grains.Diagnostics;
using Ticker.Grains.Interfaces.Accounts;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticker.Client.Kite;
using Ticker.Grains.Accounts;
using Ticker.Grains.Instruments;
using Ticker.Grains.Streams;
using Ticker.Protocol.Redis;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Silo.Diagnostics;
using Ticker.Silo.Hosting;
using Ticker.Silo.Options;
using Ticker.Silo.Transports.Redis;

namespace Ticker.Silo.Commands;

/// <summary>
/// Where <c>./ticker feed</c> writes its ticks: the one seam that chooses the tick stream. With <c>--redis</c> it is
/// the Redis tick streams that silos read; otherwise an embedded silo in this process (SiloApplication with the
/// embedded transport), so every tick is really validated, priced and snapshotted, and its HTTP API answers on
/// <c>--http</c> (a free loopback port otherwise).
/// </summary>
internal sealed class FeedTarget : IAsyncDisposable
{
    private readonly Func<Task<string>> _stop;
    private readonly IAsyncDisposable? _owned;
    private string? _summary;

    private FeedTarget(
        ITickStreamWriter writer,
        AccountDirectory accounts,
        IKiteConnectionObserver? kiteObserver,
        string description,
        Func<Task<string>> stop,
        IAsyncDisposable? owned)
    {
        Writer = writer;
        Accounts = accounts;
        KiteObserver = kiteObserver;
        Description = description;
        _stop = stop;
        _owned = owned;
    }

    /// <summary>The tick stream to write into.</summary>
    public ITickStreamWriter Writer { get; }

    /// <summary>The account grains the feed reports its connections to (the silo's, so <c>/api/accounts</c> shows them).</summary>
    public AccountDirectory Accounts { get; }

    /// <summary>Where Kite connections report for metrics (the silo's <c>kite_*</c> metrics on <c>/metrics</c>); null: nowhere.</summary>
    public IKiteConnectionObserver? KiteObserver { get; }

    /// <summary>What the target is, for the first output line.</summary>
    public string Description { get; }

    /// <summary>Creates and starts the target.</summary>
    /// <param name="master">The instrument master CSV (null: the synthetic master), the same the feed uses.</param>
    /// <param name="http">The silo's HTTP address (null: a free loopback port).</param>
    /// <param name="shards">The shard count (null: the silo's default).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">Bad configuration.</exception>
    public static async Task<FeedTarget> CreateTargetAsync(FileInfo? master, string? http, int? shards, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Http:Url"] = http ?? "http://127.0.0.1:0",

            // The feed is this process's only source: accounts configured for a long-running silo stay idle here.
            ["Kite:Enabled"] = "false",
        };
        CommonOptions.AddMaster(settings, master);
        if (shards is { } n)
        {
            settings["Silo:ShardCount"] = n.ToString(CultureInfo.InvariantCulture);
        }

        // The feed command owns Ctrl-C: it stops the feed, then drains and stops the silo (StopAsync).
        var silo = SiloApplication.Build(settings, static (services, configuration) => services.AddEmbeddedSilo(configuration).AddSingleton<IHostLifetime, PassiveHostLifetime>());
        try
        {
            await silo.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await silo.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var partitions = silo.Services.GetRequiredService<IOptions<SiloOptions>>().Value.ShardCount;
        var description = $"embedded silo ({partitions} shards{(http is null ? "" : $", API at {http}")})";
        return new FeedTarget(
            silo.Services.GetRequiredService<ITickStreamWriter>(),
            silo.Services.GetRequiredService<AccountDirectory>(),
            silo.Services.GetService<IKiteConnectionObserver>(),
            description,
            async () =>
            {
                await silo.StopAsync().ConfigureAwait(false);
                var totals = silo.Services.GetRequiredService<SiloStatistics>().Capture();
                return string.Create(
                    CultureInfo.InvariantCulture,
                    $"target={description} processed={totals.TicksProcessed} invalid={totals.InvalidTicks} greeks={totals.GreeksComputed} snapshots={totals.SnapshotsWritten}");
            },
            silo);
    }

    /// <summary>
    /// A target on Redis: the tick streams <c>tick:in:{shard}</c> that silos read. The shard count is the cluster's
    /// (<c>tick:cluster:shards</c>) unless given; the feed's accounts are published in <c>tick:accounts</c>.
    /// </summary>
    public static async Task<FeedTarget> CreateRedisTargetAsync(
        string connectionString, InstrumentMaster master, int? shards, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var options = new RedisTransportOptions { ConnectionString = connectionString };
        var validation = new RedisTransportOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(RedisTransportOptions.SectionName, typeof(RedisTransportOptions), validation.Failures);
        }

        var connector = new RedisConnector(connectionString, loggers);
        try
        {
            var redis = await connector.GetAsync(cancellationToken).ConfigureAwait(false);
            var cluster = (await redis.ExecuteAsync(["GET", TickerKeys.ClusterShardCount], cancellationToken).ConfigureAwait(false)).AsString();
            var shardCount = shards ?? (int.TryParse(cluster, CultureInfo.InvariantCulture, out var n) ? n : SiloOptions.DefaultShardCount);
            var writer = new RedisTickStreamWriter(connector, new ShardMap(master, shardCount), options, loggers.CreateLogger<RedisTickStreamWriter>());
            var accounts = new AccountDirectory();
            var multiplexer = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(RedisConfiguration.ParseForService(connectionString)).ConfigureAwait(false);
            var publisher = new AccountStatePublisher(multiplexer, new LocalAccountSource(accounts, TimeProvider.System), TimeProvider.System);
            await publisher.StartAsync(cancellationToken).ConfigureAwait(false);
            var description = $"Redis {connector.Description} ({shardCount} shards)";
            return new FeedTarget(
                writer,
                accounts,
                null,
                description,
                async () =>
                {
                    await publisher.StopAsync(CancellationToken.None).ConfigureAwait(false);
                    publisher.Dispose();
                    await multiplexer.DisposeAsync().ConfigureAwait(false);
                    return string.Create(
                        CultureInfo.InvariantCulture,
                        $"target={description} entries={writer.EntriesWritten} retries={writer.Retries} throttled={writer.ThrottleWaits}");
                },
                connector);
        }
        catch
        {
            await connector.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops the target once, draining what was written, and describes what it did.</summary>
    public async Task<string> StopAsync() => _summary ??= await _stop().ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_owned is not null)
        {
            await _owned.DisposeAsync().ConfigureAwait(false);
        }
    }
}
