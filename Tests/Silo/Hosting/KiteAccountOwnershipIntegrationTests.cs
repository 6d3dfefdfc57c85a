using Orleans.TestingHost;
using Ticker.Grains.Interfaces.Accounts;
using Ticker.Silo.KiteMock;
using Ticker.Tests.Client.Kite;

namespace Ticker.Tests.Silo.Hosting;

/// <summary>
/// Two silos of one cluster configured with the same Kite account: the mock never has more than one session open for
/// it, and when the silo streaming it stops or dies the other one takes the account over.
/// </summary>
public sealed class KiteAccountOwnershipIntegrationTests
{
    private const int Instruments = 50;

    [Fact]
    public async Task One_silo_streams_the_account_and_the_other_takes_over_when_it_stops()
    {
        await using var server = await KiteTestServer.StartAsync();
        var watch = new OpenSessionWatch(server);
        await using (var cluster = await KiteIngestionCluster.StartAsync(server, Instruments))
        {
            var (owner, other) = await StreamingAndWaitingAsync(server, cluster);

            await cluster.Cluster.StopSiloAsync(owner);

            await TakenOverAsync(server, cluster, other);
        }

        await watch.DisposeAsync();
        Assert.Equal(1, watch.MostOpen);
    }

    [Fact]
    public async Task When_the_silo_streaming_the_account_is_killed_the_other_takes_over()
    {
        await using var server = await KiteTestServer.StartAsync();
        var watch = new OpenSessionWatch(server);
        await using (var cluster = await KiteIngestionCluster.StartAsync(server, Instruments))
        {
            var (owner, other) = await StreamingAndWaitingAsync(server, cluster);

            await cluster.Cluster.KillSiloAsync(owner);

            await TakenOverAsync(server, cluster, other);
        }

        await watch.DisposeAsync();
        Assert.Equal(1, watch.MostOpen);
    }

    /// <summary>Waits until one silo streams the account while the other has been refused it a few times.</summary>
    private static async Task<(InProcessSiloHandle Owner, InProcessSiloHandle Other)> StreamingAndWaitingAsync(KiteMockServer server, KiteIngestionCluster cluster)
    {
        var silos = cluster.Ingesting;
        Assert.Equal(2, silos.Count);
        await Eventually.WaitUntilAsync(
            () => silos.Count(s => KiteIngestionCluster.Ingestion(s).Feeds.Count == 1) == 1,
            "one silo streams the account");
        var owner = silos.Single(s => KiteIngestionCluster.Ingestion(s).Feeds.Count == 1);
        var other = silos.Single(s => s != owner);
        await Eventually.WaitUntilAsync(
            () => KiteIngestionCluster.Ingestion(owner).Feeds[0].TicksWritten >= Instruments
                && KiteIngestionCluster.Ingestion(other).Ownerships[0].Refusals >= 5,
            "the owner streams every instrument while the other silo is refused the account again and again");

        Assert.Empty(KiteIngestionCluster.Ingestion(other).Feeds);
        Assert.All(server.Sessions, s => Assert.Equal(KiteTestServer.ApiKey, s.ApiKey));
        Assert.Single(server.OpenSessions);
        var holder = await cluster.Cluster.Client.GetGrain<IAccountOwnershipGrain>(KiteTestServer.ApiKey).GetOwnerAsync();
        Assert.Equal(owner.SiloAddress, holder!.Silo);
        Assert.Equal(owner.Name, holder.Name);
        return (owner, other);
    }

    /// <summary>Waits until <paramref name="other"/> streams the account in a new session and ticks flow through the cluster.</summary>
    private static async Task TakenOverAsync(KiteMockServer server, KiteIngestionCluster cluster, InProcessSiloHandle other)
    {
        var first = server.Sessions[0];
        var ingestion = KiteIngestionCluster.Ingestion(other);
        await Eventually.WaitUntilAsync(() => ingestion.Feeds.Count == 1 && ingestion.Feeds[0].TicksWritten >= Instruments, "the other silo streams the account");
        await Eventually.WaitUntilAsync(() => !first.Open && server.OpenSessions.Count == 1, "the mock has one open session, a new one");

        var before = KiteIngestionCluster.SnapshotsWritten;
        await Eventually.WaitUntilAsync(() => KiteIngestionCluster.SnapshotsWritten >= before + Instruments, "ticks keep flowing into snapshots");
        var grain = cluster.Cluster.Client.GetGrain<IAccountOwnershipGrain>(KiteTestServer.ApiKey);
        await Eventually.WaitUntilAsync(() => grain.GetOwnerAsync().GetAwaiter().GetResult()?.Silo == other.SiloAddress, "the ownership grain names the other silo");
    }
}
