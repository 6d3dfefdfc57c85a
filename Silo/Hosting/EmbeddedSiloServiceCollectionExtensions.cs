using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using SiloOptions = Ticker.Silo.Options.SiloOptions;
using Orleans.Dashboard;
using Orleans.Hosting;
using Orleans.Streams;
using Ticker.Client.Ingestion;
using Ticker.Client.Library;
using Ticker.Grains.Interfaces.Market;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Grains.Market;
using Ticker.Silo.Membership;
using Ticker.Silo.Options;
using Ticker.Silo.Transports.Embedded;

namespace Ticker.Silo.Hosting;

/// <summary>
/// The embedded mode, the default (like Orleans' own dev setup): an Orleans silo with localhost clustering, memory
/// streams carrying the ticks (one stream and queue per partition), the in-memory snapshot store, the Orleans
/// Dashboard, and the in-process cluster client that ingestion publishes through.
/// </summary>
public static class EmbeddedSiloServiceCollectionExtensions
{
    /// <summary>Adds the Orleans silo of the embedded mode and what feeds and reads it.</summary>
    public static IServiceCollection AddEmbeddedSilo(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<OrleansHostOptions, OrleansHostOptionsValidator>(configuration, OrleansHostOptions.SectionName);
        var host = configuration.GetSection(OrleansHostOptions.SectionName).Get<OrleansHostOptions>() ?? new OrleansHostOptions();
        var partitions = configuration.GetValue(SiloOptions.SectionName + ":" + nameof(SiloOptions.ShardCount), SiloOptions.DefaultShardCount);
        var deliveryBatch = host.DeliveryBatchSize();
        var poll = host.StreamPollPeriod > TimeSpan.Zero ? host.StreamPollPeriod : OrleansHostOptions.DefaultStreamPollPeriod;

        var endpoints = new OrleansEndpoints(PortOrFree(host.SiloPort), PortOrFree(host.GatewayPort));
        services.AddSingleton(endpoints);
        services.AddOrleans(silo =>
        {
            silo.UseLocalhostClustering(endpoints.SiloPort, endpoints.GatewayPort, serviceId: TickerGrainClient.ClusterId, clusterId: TickerGrainClient.ClusterId);
            silo.AddMemoryStreams(ITickPartitionGrain.StreamProvider, streams =>
            {
                streams.ConfigurePartitioning(Math.Clamp(partitions, 1, 1024));
                streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
                streams.ConfigurePullingAgent(o => o.Configure(agent =>
                {
                    agent.GetQueueMsgsTimerPeriod = poll;
                    agent.BatchContainerBatchSize = deliveryBatch;
                }));
            });
            silo.AddTickerSiloSettings(configuration);
            silo.AddMemoryGrainStorage(Grains.Accounts.AccountOwnershipGrain.StorageName);
        });

        services.AddSingleton<OrleansTickStreamWriter>();

        // Registered after the silo and before any feed: stops after the feeds, before the silo.
        services.AddHostedService<TickStreamDrain>();
        services.AddSingleton<ITickStreamWriter>(static sp => sp.GetRequiredService<OrleansTickStreamWriter>());
        services.AddSingleton(static sp => new InMemorySnapshotStore(sp.GetRequiredService<Grains.Instruments.InstrumentMaster>()));
        services.AddSingleton<ISnapshotSink>(static sp => sp.GetRequiredService<InMemorySnapshotStore>());
        services.AddSingleton<ISnapshotReader>(static sp => sp.GetRequiredService<InMemorySnapshotStore>());
        services.AddSingleton<IStreamBacklogSource, EmbeddedStreamBacklog>();
        services.AddSingleton<IAccountSource, GrainAccountSource>();
        services.AddHostedService<AccountReporter>();
        services.AddSingleton<IClusterView, SingleSiloView>();
        return services;
    }

    /// <summary>Whether the services hold an Orleans silo (embedded or on Redis); resolves nothing that could fail before start-up.</summary>
    public static bool HasOrleansSilo(this IServiceProvider services) => services.GetService<OrleansEndpoints>() is not null;

    /// <summary>The port configured, or a free loopback port when it is 0.</summary>
    internal static int PortOrFree(int port)
    {
        if (port is > 0 and <= 65535)
        {
            return port;
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
