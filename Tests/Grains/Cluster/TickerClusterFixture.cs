using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Streams;
using Orleans.TestingHost;
using Ticker.Client.Ingestion;
using Ticker.Grains.Accounts;
using Ticker.Grains.Batching;
using Ticker.Grains.Interfaces.Market;
using Ticker.Grains.Streams;
using Ticker.Silo.Transports.Embedded;
using Ticker.Tests.Infrastructure;

namespace Ticker.Tests.Grains.Cluster;

/// <summary>
/// A two-silo Orleans <see cref="TestCluster"/> running the ticker's grains over memory streams, shared by the grain
/// tests. Both silos write to one in-memory snapshot store (they run in this process), which records every batch.
/// </summary>
public sealed class TickerClusterFixture : IAsyncLifetime
{
    /// <summary>Stream partitions (and queues) of the test cluster.</summary>
    public const int Partitions = 2;

    /// <summary>The batch size limit of the test cluster, small so that size flushes show.</summary>
    public const int MaxBatchSize = 3;

    /// <summary>The store both silos write to.</summary>
    public static InMemorySnapshotStore Store { get; } = new(TestMarket.Master);

    /// <summary>Sizes of every option batch written, in order.</summary>
    public static ConcurrentQueue<int> OptionBatchSizes { get; } = new();

    static TickerClusterFixture() => Store.BatchWritten += static (_, options) =>
    {
        if (options.Length > 0)
        {
            OptionBatchSizes.Enqueue(options.Length);
        }
    };

    /// <summary>The running cluster.</summary>
    public TestCluster Cluster { get; private set; } = null!;

    /// <summary>A writer publishing into the cluster's tick stream through its client.</summary>
    public OrleansTickStreamWriter Writer { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(2);
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
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.AddMemoryStreams(ITickPartitionGrain.StreamProvider, streams =>
            {
                streams.ConfigurePartitioning(Partitions);
                streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
                streams.ConfigurePullingAgent(o => o.Configure(agent =>
                {
                    agent.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(5);
                    agent.BatchContainerBatchSize = 16;
                }));
            });
            silo.AddMemoryGrainStorage(AccountOwnershipGrain.StorageName);
            silo.ConfigureServices(services =>
            {
                services.AddTestGrainServices(Partitions, Store);
                services.AddOptions<BatchingOptions>().Configure(o => o.MaxBatchSize = MaxBatchSize);
            });
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder client) =>
            client.AddMemoryStreams(ITickPartitionGrain.StreamProvider, streams =>
            {
                streams.ConfigurePartitioning(Partitions);
                streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            });
    }
}

/// <summary>The tests sharing one <see cref="TickerClusterFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class TickerClusterCollection : ICollectionFixture<TickerClusterFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "ticker cluster";
}
