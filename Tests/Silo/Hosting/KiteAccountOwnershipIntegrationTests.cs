using Orleans.TestingHost;
using Ticker.Grains.Interfaces.Accounts;
using Ticker.Silo.Hosting;
using Ticker.Silo.KiteMock;
using Ticker.Tests.Client.Kite;

namespace Ticker.Tests.Silo.Hosting;

/// <summary>
/// Two silos of one cluster configured with the same Kite account: the mock sees one session, and when the silo
/// streaming it stops or dies the other one takes the account over.
/// </summary>
public sealed class KiteAccountOwnershipIntegrationTests
{
    private const int Instruments = 50;

    [Fact]
    public async Task One_silo_streams_the_account_and_the_other_takes_over_when_it_stops()
    {
        await using var server = await KiteTestServer.StartAsync();
        await using var cluster = await KiteIngestionCluster.StartAsync(server, Instruments);
        var (owner, other) = await StreamingAndWaitingAsync(server, cluster);

        await cluster.Cluster.StopSiloAsync(owner);

        await TakenOverAsync(server, cluster, other);
    }

    [Fact]
    public async Task When_the_silo_streaming_the_account_is_killed_the_other_takes_over()
    {
        await using var server = await KiteTestServer.StartAsync();
        await using var cluster = await KiteIngestionCluster.StartAsync(server, Instruments);
        var (owner, other) = await StreamingAndWaitingAsync(server, cluster);

        await cluster.Cluster.KillSiloAsync(owner);

        await TakenOverAsync(server, cluster, other);
    }

    /// <summary>Waits until one silo streams the account while the other has been refused it a few times; checks the mock saw one session.</summary>
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
        var session = Assert.Single(server.Sessions);
        Assert.Equal(KiteTestServer.ApiKey, session.ApiKey);
        Assert.Equal(1, server.UpgradeRequests);
        var holder = await cluster.Cluster.Client.GetGrain<IAccountOwnershipGrain>(KiteTestServer.ApiKey).GetOwnerAsync();
        Assert.Equal(owner.SiloAddress, holder!.Silo);
        Assert.Equal(owner.Name, holder.Name);
        return (owner, other);
    }

    /// <summary>Waits until <paramref name="other"/> streams the account in a second session and ticks flow through the cluster.</summary>
    private static async Task TakenOverAsync(KiteMockServer server, KiteIngestionCluster cluster, InProcessSiloHandle other)
    {
        var ingestion = KiteIngestionCluster.Ingestion(other);
        await Eventually.WaitUntilAsync(() => ingestion.Feeds.Count == 1 && ingestion.Feeds[0].TicksWritten >= Instruments, "the other silo streams the account");
        try
        {
            await Eventually.WaitUntilAsync(() => server.Sessions.Count == 2 && server.OpenSessions.Count == 1, "the mock has one open session, the second");
        }
        catch (Exception ex)
        {
            var sessions = string.Join(", ", server.Sessions.Select(s => $"#{s.Id} {(s.Open ? "open" : "closed")} ticks={s.TicksSent}"));
            throw new InvalidOperationException($"{ex.Message}; sessions: {sessions}; other silo feeds={ingestion.Feeds.Count}, refusals={ingestion.Ownerships[0].Refusals}", ex);
        }

        var before = KiteIngestionCluster.SnapshotsWritten;
        await Eventually.WaitUntilAsync(() => KiteIngestionCluster.SnapshotsWritten >= before + Instruments, "ticks keep flowing into snapshots");
        Assert.Equal(2, server.UpgradeRequests);
        var holder = await cluster.Cluster.Client.GetGrain<IAccountOwnershipGrain>(KiteTestServer.ApiKey).GetOwnerAsync();
        Assert.Equal(other.SiloAddress, holder!.Silo);
    }
}
