using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Clustering.Redis;
using Orleans.Persistence;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Streams;
using StackExchange.Redis;
using Ticker.Client.Ingestion;
using Ticker.Client.Library;
using Ticker.Grains.Accounts;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Market;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Grains.Market;
using Ticker.Protocol.Redis;
using Ticker.Silo.Membership;
using Ticker.Silo.Hosting;
using Ticker.Silo.Options;
using Ticker.Streaming.Hosting;
using Ticker.Streaming.Options;
using SiloOptions = Ticker.Silo.Options.SiloOptions;

namespace Ticker.Silo.Transports.Redis;

/// <summary>
/// The production mode: an Orleans silo on Redis. Orleans Redis clustering for membership, the Redis Streams
/// provider (<c>Streaming/</c>) for the ticks, Redis hashes and pub/sub for the snapshots, all over one
/// StackExchange.Redis multiplexer per process.
/// </summary>
public static class RedisServiceCollectionExtensions
{
    /// <summary>Failure detection defaults: a killed silo is declared dead within about five seconds.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How long a joining silo's share stays with the others (Orleans' default: 2 minutes).</summary>
    private static readonly TimeSpan SiloMaturityPeriod = TimeSpan.FromSeconds(1);

    /// <summary>Adds the Orleans silo of the Redis mode (section <c>Redis</c>, <c>ConnectionString</c> required).</summary>
    public static IServiceCollection AddRedisSilo(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<RedisTransportOptions, RedisTransportOptionsValidator>(configuration, RedisTransportOptions.SectionName);
        services.AddValidatedOptions<OrleansHostOptions, OrleansHostOptionsValidator>(configuration, OrleansHostOptions.SectionName);
        var host = configuration.GetSection(OrleansHostOptions.SectionName).Get<OrleansHostOptions>() ?? new OrleansHostOptions();
        var connectionString = configuration[RedisTransportOptions.SectionName + ":" + nameof(RedisTransportOptions.ConnectionString)];
        var configuredQueues = configuration.GetValue<int?>(SiloOptions.SectionName + ":" + nameof(SiloOptions.ShardCount));

        services.AddSingleton<IConnectionMultiplexer>(static sp =>
            RedisConfiguration.ConnectForService(sp.GetRequiredService<IOptions<RedisTransportOptions>>().Value.ConnectionString!));

        // The queue count is the cluster's (tick:cluster:queues); a silo configured otherwise stops at start-up.
        services.AddOptions<SiloOptions>().PostConfigure<IConnectionMultiplexer>((silo, redis) =>
        {
            try
            {
                silo.ShardCount = QueueCountAgreement.AgreeAsync(redis.GetDatabase(), configuredQueues, "this silo").GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
            {
                // Like Orleans' own membership table, a silo does not start without Redis: one line, not a stack trace.
                throw new InvalidOperationException($"Redis {RedisConfiguration.Describe(connectionString)} is unreachable ({FirstSentence(ex.Message)})");
            }
        });

        var endpoints = new OrleansEndpoints(
            EmbeddedSiloServiceCollectionExtensions.PortOrFree(host.SiloPort), EmbeddedSiloServiceCollectionExtensions.PortOrFree(host.GatewayPort));
        services.AddSingleton(endpoints);
        services.AddOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = TickerGrainClient.ClusterId;
                o.ServiceId = TickerGrainClient.ClusterId;
            });
            silo.Configure<EndpointOptions>(o =>
            {
                o.SiloPort = endpoints.SiloPort;
                o.GatewayPort = endpoints.GatewayPort;
                if (!string.IsNullOrWhiteSpace(host.AdvertisedAddress))
                {
                    o.AdvertisedIPAddress = System.Net.IPAddress.Parse(host.AdvertisedAddress);
                }
            });
            silo.UseRedisClustering(_ => { });
            silo.Services.AddOptions<RedisClusteringOptions>().Configure<IConnectionMultiplexer>(static (o, redis) =>
            {
                o.ConfigurationOptions = new ConfigurationOptions();
                o.CreateMultiplexer = _ => Task.FromResult((redis, true));
            });
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = ProbeTimeout;
                o.NumMissedProbesLimit = 2;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                o.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(30);
            });
            silo.Services.Configure<ClusterMembershipOptions>(configuration.GetSection(OrleansHostOptions.SectionName + ":Membership"));
            silo.AddRedisTickStreams(
                ITickPartitionGrain.StreamProvider,
                static _ => { },
                streams =>
                {
                    streams.ConfigurePullingAgent(o => o.Configure(agent => agent.BatchContainerBatchSize = host.DeliveryBatchSize()));
                    streams.ConfigurePartitionBalancing<DeploymentBasedQueueBalancerOptions>(
                        static (services, name) => DeploymentBasedQueueBalancer.Create(services, name, new ActiveSilosDeployment(services.GetRequiredService<ISiloStatusOracle>())),
                        static options => options.Configure(balancer =>
                        {
                            balancer.IsFixed = false;
                            balancer.SiloMaturityPeriod = SiloMaturityPeriod;
                        }));
                });
            silo.Services.AddOptions<RedisTickStreamOptions>(ITickPartitionGrain.StreamProvider)
                .Bind(configuration.GetSection(StreamsSection))
                .Configure<IOptions<SiloOptions>>(static (o, silo) => o.QueueCount = silo.Value.ShardCount);
            silo.AddTickerSiloSettings(configuration);

            // Who streams each Kite account must survive the ownership grain's silo: Orleans' Redis grain storage.
            silo.AddRedisGrainStorage(AccountOwnershipGrain.StorageName, (OptionsBuilder<RedisStorageOptions> storage) =>
                storage.Configure<IConnectionMultiplexer>(static (o, redis) =>
                {
                    o.ConfigurationOptions = new ConfigurationOptions();
                    o.CreateMultiplexer = _ => Task.FromResult((redis, true));
                }));
        });

        services.AddSingleton<OrleansTickStreamWriter>();
        services.AddSingleton<ITickStreamWriter>(static sp => sp.GetRequiredService<OrleansTickStreamWriter>());
        services.AddSingleton<IStreamBacklogSource, RedisStreamBacklog>();
        services.AddSingleton<IClusterView, OrleansClusterView>();
        services.AddSingleton<IPartitionLocality, RedisPartitionLocality>();
        services.AddSingleton<IAccountSource, GrainAccountSource>();
        services.AddHostedService<AccountReporter>();

        services.AddSingleton<ISnapshotSink>(static sp => new RedisSnapshotSink(
            sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<InstrumentMaster>(), sp.GetRequiredService<IOptions<RedisTransportOptions>>().Value,
            sp.GetRequiredService<ILogger<RedisSnapshotSink>>(), sp.GetRequiredService<Metrics.RedisInstruments>()));
        services.AddSingleton<ISnapshotReader>(static sp => new RedisSnapshotReader(sp.GetRequiredService<IConnectionMultiplexer>()));
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis");
        services.AddHostedService<AccountStatePublisher>();
        return services;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" - ", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }

    /// <summary>The configuration section of the tick stream provider's options (<c>RedisTickStreamOptions</c>).</summary>
    public const string StreamsSection = "Streams";
}
