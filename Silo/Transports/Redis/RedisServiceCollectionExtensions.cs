using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Grains.Streams;
using StackExchange.Redis;
using Ticker.Protocol.Redis;
using Ticker.Silo.Cluster;
using Ticker.Silo.Hosting;
using Ticker.Silo.Metrics;
using Ticker.Silo.Options;

namespace Ticker.Silo.Transports.Redis;

/// <summary>Registers the Redis transport: tick streams, snapshot hashes, pub/sub, a readiness check.</summary>
public static class RedisServiceCollectionExtensions
{
    /// <summary>Uses Redis (section <c>Redis</c>, <c>ConnectionString</c> required) for the tick stream and snapshots.</summary>
    public static IServiceCollection AddRedisTransport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<RedisTransportOptions, RedisTransportOptionsValidator>(configuration, RedisTransportOptions.SectionName);
        services.AddSingleton(static sp => new RedisConnector(
            sp.GetRequiredService<IOptions<RedisTransportOptions>>().Value.ConnectionString!,
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<RedisInstruments>()));
        services.TryAddSingleton<IConnectionMultiplexer>(static sp => RedisConfiguration.ConnectForService(sp.GetRequiredService<IOptions<RedisTransportOptions>>().Value.ConnectionString!));
        services.AddSingleton(static sp => new RedisStreamStatistics(sp.GetRequiredService<StreamInstruments>()));
        services.AddSingleton<ITickStream>(static sp => new RedisTickStream(
            sp.GetRequiredService<RedisConnector>(),
            sp.GetRequiredService<ShardMap>(),
            sp.GetRequiredService<IOptions<RedisTransportOptions>>().Value,
            sp.GetRequiredService<IOptions<SiloOptions>>().Value.SiloId,
            sp.GetRequiredService<RedisStreamStatistics>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(static sp => sp.GetRequiredService<ITickStream>().Writer);
        services.AddSingleton(static sp => (IStreamBacklogSource)sp.GetRequiredService<ITickStream>());
        services.AddSingleton<ShardSupervisor>();
        services.AddHostedService(static sp => sp.GetRequiredService<ShardSupervisor>());
        services.AddSingleton<ISnapshotSink>(static sp => new RedisSnapshotSink(
            sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<InstrumentMaster>(), sp.GetRequiredService<IOptions<RedisTransportOptions>>().Value,
            sp.GetRequiredService<ILogger<RedisSnapshotSink>>(), sp.GetRequiredService<RedisInstruments>()));
        services.AddSingleton<ISnapshotReader>(static sp => new RedisSnapshotReader(sp.GetRequiredService<IConnectionMultiplexer>()));
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis");
        services.AddSingleton<IAccountSource, RedisAccountSource>();
        services.AddHostedService<AccountStatePublisher>();
        services.AddValidatedOptions<ClusterOptions, ClusterOptionsValidator>(configuration, ClusterOptions.SectionName);
        services.AddSingleton<RedisClusterCoordinator>();
        services.AddSingleton<IClusterView>(static sp => sp.GetRequiredService<RedisClusterCoordinator>());
        services.AddHostedService(static sp => sp.GetRequiredService<RedisClusterCoordinator>());
        return services;
    }
}
