using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Streams;
using Orleans.TestingHost;
using Ticker.Client.Ingestion;
using Ticker.Client.Kite;
using Ticker.Grains.Accounts;
using Ticker.Grains.Interfaces.Market;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Silo.Hosting;
using Ticker.Silo.KiteMock;
using Ticker.Silo.Metrics;
using Ticker.Silo.Transports.Embedded;
using Ticker.Tests.Client.Kite;
using Ticker.Tests.Infrastructure;
using SiloOptions = Ticker.Silo.Options.SiloOptions;

namespace Ticker.Tests.Silo.Hosting;

/// <summary>
/// A three-silo <see cref="TestCluster"/> whose two secondaries run Kite ingestion (<see cref="KiteIngestionHostedService"/>),
/// both configured with the mock's account; ticks go through the cluster's memory streams into <see cref="Store"/>.
/// The primary runs no ingestion: it holds the test cluster's membership table, so it must outlive the silo a test
/// stops or kills.
/// </summary>
internal sealed class KiteIngestionCluster : IAsyncDisposable
{
    private const int Partitions = 2;

    private static long _snapshotsWritten;

    static KiteIngestionCluster() => Store.BatchWritten += static (underlyings, options) => Interlocked.Add(ref _snapshotsWritten, underlyings.Length + options.Length);

    private KiteIngestionCluster(TestCluster cluster) => Cluster = cluster;

    /// <summary>Snapshots written to <see cref="Store"/> so far, by any silo.</summary>
    public static long SnapshotsWritten => Interlocked.Read(ref _snapshotsWritten);

    /// <summary>The store every silo writes snapshots to (shared by the tests of this class, which run one at a time).</summary>
    public static InMemorySnapshotStore Store { get; } = new(TestMarket.Master);

    /// <summary>The cluster.</summary>
    public TestCluster Cluster { get; }

    /// <summary>The two silos configured with the account.</summary>
    public IReadOnlyList<InProcessSiloHandle> Ingesting => [.. Cluster.GetActiveSilos().OfType<InProcessSiloHandle>().Where(s => s.Name != global::Orleans.Runtime.Silo.PrimarySiloName)];

    /// <summary>Starts the cluster against <paramref name="server"/>, its account limited to <paramref name="instruments"/> instruments.</summary>
    public static async Task<KiteIngestionCluster> StartAsync(KiteMockServer server, int instruments)
    {
        var builder = new TestClusterBuilder(3);
        builder.Properties["Kite:Url"] = server.Url.ToString();
        builder.Properties["Kite:Reconnect:InitialDelay"] = "00:00:00.050";
        builder.Properties["Kite:Reconnect:MaxDelay"] = "00:00:00.500";
        builder.Properties["Kite:OwnershipRenewPeriod"] = "00:00:00.250";
        builder.Properties["Kite:OwnershipLease"] = "00:00:02";
        builder.Properties["Kite:Accounts:0:ApiKey"] = KiteTestServer.ApiKey;
        builder.Properties["Kite:Accounts:0:AccessToken"] = KiteTestServer.AccessToken;
        builder.Properties["Kite:Accounts:0:InstrumentFilter:MaxCount"] = instruments.ToString(CultureInfo.InvariantCulture);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new KiteIngestionCluster(cluster);
    }

    /// <summary>The ingestion service of <paramref name="silo"/>.</summary>
    public static KiteIngestionHostedService Ingestion(InProcessSiloHandle silo) => silo.SiloHost.Services.GetRequiredService<KiteIngestionHostedService>();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var name = silo.Configuration["Orleans:Name"] ?? "";
            silo.AddMemoryGrainStorage(AccountOwnershipGrain.StorageName);

            // A killed silo is declared dead after two missed 2 s probes rather than Orleans' default three of 5 s:
            // grain calls and stream queues of the dead silo move sooner.
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(2);
                o.NumMissedProbesLimit = 2;
            });
            silo.AddMemoryStreams(ITickPartitionGrain.StreamProvider, streams =>
            {
                streams.ConfigurePartitioning(Partitions);
                streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
                streams.ConfigurePullingAgent(o => o.Configure(agent => agent.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(5)));
            });
            silo.ConfigureServices(services =>
            {
                services.AddTestGrainServices(Partitions, Store);
                services.AddTickerMetrics();
                services.AddSingleton<AccountDirectory>();
                services.AddSingleton<ITickStreamWriter, OrleansTickStreamWriter>();
                services.AddKiteIngestion(silo.Configuration);
                services.PostConfigure<SiloOptions>(o => o.SiloId = name);
                services.PostConfigure<KiteOptions>(o => o.Enabled = name != global::Orleans.Runtime.Silo.PrimarySiloName);
            });
        }
    }
}
