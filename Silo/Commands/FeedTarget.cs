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
using Ticker.Grains.Interfaces.Streams;
using Ticker.Silo.Diagnostics;
using Ticker.Silo.Hosting;
using Ticker.Silo.Options;
using Ticker.Protocol.Redis;
using Ticker.Silo.Transports.Redis;
using StackExchange.Redis;
using Ticker.Client.Hosting;
using Ticker.Client.Ingestion;

namespace Ticker.Silo.Commands;

/// <summary>
/// Where <c>./ticker feed</c> writes its ticks: the one seam that chooses the tick stream. With <c>--redis</c> it is
/// the Orleans tick stream on Redis that the cluster's silos read; otherwise an embedded silo in this process (SiloApplication with the
/// embedded transport), so every tick is really validated, priced and snapshotted, and its HTTP API answers on
/// <c>--http</c> (a free loopback port otherwise).
/// </summary>
internal sealed class FeedTarget : IAsyncDisposable
{
    private readonly Func<Task<string>> _stop;
    private readonly IAsyncDisposable? _owned;
    private string? _summary;

    private FeedTarget(
        IServiceProvider services,
        ITickStreamWriter writer,
        AccountDirectory accounts,
        IKiteConnectionObserver? kiteObserver,
        string description,
        Func<Task<string>> stop,
        IAsyncDisposable? owned)
    {
        Services = services;
        Writer = writer;
        Accounts = accounts;
        KiteObserver = kiteObserver;
        Description = description;
        _stop = stop;
        _owned = owned;
    }

    /// <summary>The services of the in-process silo or of the Orleans client (their statistics, for tests and summaries).</summary>
    public IServiceProvider Services { get; }

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
            silo.Services,
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
    /// A target on Redis: the feed is an Orleans client of the cluster (Redis clustering) publishing into the Redis
    /// Streams tick stream that the silos read; its accounts are reported to their account grains. The queue count is
    /// the cluster's (<c>tick:cluster:queues</c>); a <paramref name="shards"/> that disagrees stops the start. While Redis
    /// or every silo is unreachable the start waits, until <paramref name="cancellationToken"/> ends it.
    /// </summary>
    public static async Task<FeedTarget> CreateRedisTargetAsync(
        string connectionString, InstrumentMaster master, int? shards, ILoggerFactory loggers, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (RedisConfiguration.Check(connectionString) is { } error)
        {
            throw new InvalidOperationException(error);
        }

        var redis = await ConnectionMultiplexer.ConnectAsync(RedisConfiguration.ParseForService(connectionString)).ConfigureAwait(false);
        IHost? host = null;
        try
        {
            var queues = await AgreeOnQueuesAsync(redis, shards, stderr, cancellationToken).ConfigureAwait(false);
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Logging.ClearProviders();
            CommandLogging.AddSingleLineConsole(builder.Logging);
            builder.Logging.AddFilter("Orleans", LogLevel.Warning);
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);

            // A start cancelled by --duration or SIGTERM is reported once by the feed command, not as a host failure.
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
            builder.Services.AddSingleton<IConnectionMultiplexer>(redis);
            builder.Services.AddSingleton(TimeProvider.System);
            builder.Services.AddSingleton<AccountDirectory>();
            builder.Services.AddSingleton<LocalAccountSource>();

            // The client first: it starts before, and stops after, the reporter that calls the account grains.
            builder.UseOrleansClient(client => client.UseTickerRedisCluster(queues));
            builder.Services.AddHostedService<AccountReporter>();
            builder.Services.AddHostedService<AccountStatePublisher>();
            host = builder.Build();
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            var writer = new OrleansTickStreamWriter(
                host.Services.GetRequiredService<IClusterClient>(), new ShardMap(master, queues), loggers.CreateLogger<OrleansTickStreamWriter>());
            var description = $"Redis {RedisConfiguration.Describe(connectionString)} ({queues} stream queues)";
            var started = host;
            return new FeedTarget(
                host.Services,
                writer,
                host.Services.GetRequiredService<AccountDirectory>(),
                null,
                description,
                async () =>
                {
                    await started.StopAsync(CancellationToken.None).ConfigureAwait(false);
                    return string.Create(
                        CultureInfo.InvariantCulture,
                        $"target={description} batches={writer.BatchesPublished} ticks={writer.TicksPublished} retries={writer.Retries}");
                },
                new OwnedResources(started, redis));
        }
        catch
        {
            host?.Dispose();
            await redis.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The cluster's queue count; waits (saying so once) while Redis is unreachable.</summary>
    private static async Task<int> AgreeOnQueuesAsync(IConnectionMultiplexer redis, int? shards, TextWriter stderr, CancellationToken cancellationToken)
    {
        var said = false;
        if (!redis.IsConnected)
        {
            await stderr.WriteLineAsync($"feed: waiting for Redis {RedisConfiguration.Describe(redis.Configuration)}").ConfigureAwait(false);
            said = true;
        }

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return await QueueCountAgreement.AgreeAsync(redis.GetDatabase(), shards, "this feed").ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
            {
                if (!said)
                {
                    await stderr.WriteLineAsync($"feed: waiting for Redis ({ex.Message})").ConfigureAwait(false);
                    said = true;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Stops the target once, draining what was written, and describes what it did.</summary>
    public async Task<string> StopAsync() => _summary ??= await _stop().ConfigureAwait(false);

    /// <summary>The Orleans client host and the multiplexer of a Redis target, disposed together.</summary>
    private sealed class OwnedResources(IHost host, IConnectionMultiplexer redis) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            host.Dispose();
            await redis.DisposeAsync().ConfigureAwait(false);
        }
    }

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
