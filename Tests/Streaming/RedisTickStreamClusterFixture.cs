using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.TestingHost;
using Ticker.Client.Ingestion;
using Ticker.Grains.Batching;
using Ticker.Grains.Interfaces.Market;
using Ticker.Grains.Streams;
using Ticker.Silo.Transports.Embedded;
using Ticker.Streaming.Hosting;
using Ticker.Streaming.Statistics;
using Ticker.Tests.Infrastructure;

namespace Ticker.Tests.Streaming;

/// <summary>
/// A two-silo <see cref="TestCluster"/> running the ticker's real grains (TickPartitionGrain with its instruments' state,
/// the batcher) with the tick stream on the Redis Streams provider, against a redis-server of its own. Both silos
/// write to one in-memory snapshot store.
/// </summary>
public sealed class RedisTickStreamClusterFixture : IAsyncLifetime
{
    /// <summary>Stream partitions, and queues.</summary>
    public const int Partitions = 2;

    private const string ConnectionKey = "RedisTickStreamTests:ConnectionString";

    /// <summary>The store both silos write to.</summary>
    public static InMemorySnapshotStore Store { get; } = new(TestMarket.Master);

    /// <summary>The redis-server the stream lives in.</summary>
    public RedisServerFixture Redis { get; private set; } = null!;

    /// <summary>The running cluster.</summary>
    public TestCluster Cluster { get; private set; } = null!;

    /// <summary>A writer publishing into the cluster's tick stream through its client (so through the provider's producer).</summary>
    public OrleansTickStreamWriter Writer { get; private set; } = null!;

    /// <summary>The provider's counters in every silo and the client.</summary>
    public IEnumerable<RedisTickStreamStatistics> Statistics =>
        Cluster.GetActiveSilos().Cast<InProcessSiloHandle>().Select(s => s.SiloHost.Services)
            .Append(Cluster.Client.ServiceProvider)
            .Select(services => services.GetRequiredKeyedService<RedisTickStreamStatistics>(ITickPartitionGrain.StreamProvider));

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Redis = await RedisServerFixture.StartNewAsync();
        var builder = new TestClusterBuilder(2);
        builder.Properties[ConnectionKey] = Redis.ConnectionString;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        Writer = new OrleansTickStreamWriter(Cluster.Client, new ShardMap(TestMarket.Master, Partitions), NullLogger<OrleansTickStreamWriter>.Instance);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await Redis.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var connection = silo.Configuration[ConnectionKey];
            silo.AddRedisTickStreams(ITickPartitionGrain.StreamProvider, options =>
            {
                options.ConnectionString = connection;
                options.QueueCount = Partitions;
            });
            silo.ConfigureServices(services =>
            {
                services.AddTestGrainServices(Partitions, Store);
                services.AddOptions<BatchingOptions>();
            });
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder client) =>
            client.AddRedisTickStreams(ITickPartitionGrain.StreamProvider, options =>
            {
                options.ConnectionString = configuration[ConnectionKey];
                options.QueueCount = Partitions;
            });
    }
}

/// <summary>The tests sharing one <see cref="RedisTickStreamClusterFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class RedisTickStreamClusterCollection : ICollectionFixture<RedisTickStreamClusterFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "redis tick stream cluster";
}
