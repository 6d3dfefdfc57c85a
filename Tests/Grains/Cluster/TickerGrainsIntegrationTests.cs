using Ticker.Grains.Interfaces.Accounts;
using Ticker.Grains.Interfaces.Batching;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Market;
using Ticker.Grains.Interfaces.Pricing;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Tests.Infrastructure;

namespace Ticker.Tests.Grains.Cluster;

[Collection(TickerClusterCollection.Name)]
public sealed class TickerGrainsIntegrationTests(TickerClusterFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    [Fact]
    public async Task Ticks_published_on_the_stream_reach_their_grains_in_batches_and_options_get_greeks()
    {
        var call = TestMarket.NiftyOption(InstrumentKind.Call, 24000);
        var put = TestMarket.NiftyOption(InstrumentKind.Put, 24000);
        Tick[] ticks =
        [
            TestMarket.Tick(TestMarket.Nifty.InstrumentToken, 24000, TestMarket.Us(4, 0)),
            TestMarket.Tick(call.InstrumentToken, 150, TestMarket.Us(4, 0)),
            TestMarket.Tick(put.InstrumentToken, 140, TestMarket.Us(4, 0)),
            TestMarket.Tick(call.InstrumentToken, 152, TestMarket.Us(4, 0, 1)),
        ];

        await fixture.Writer.WriteAsync(ticks, CancellationToken.None);

        var callSnapshot = await WaitForTicksAsync(call.InstrumentToken, 2);
        Assert.Equal(152, callSnapshot.LastPrice);
        Assert.Equal(IvStatus.Ok, callSnapshot.IvStatus);
        Assert.InRange(callSnapshot.Iv, 0.01, 3);
        Assert.Equal(24000, callSnapshot.UnderlyingPrice);
        Assert.Equal(1, (await WaitForTicksAsync(put.InstrumentToken, 1)).Ticks);

        // Delivery completes only after the batcher wrote the snapshots: the store has them too.
        Assert.True(TickerClusterFixture.Store.TryGet(call.InstrumentToken, out var stored));
        Assert.True(stored.Ticks >= 1);
    }

    [Fact]
    public async Task A_deactivated_partition_comes_back_with_its_instruments_state_from_the_snapshot_store()
    {
        var call = TestMarket.NiftyOption(InstrumentKind.Call, 24100);
        await fixture.Writer.WriteAsync(new[] { TestMarket.Tick(call.InstrumentToken, 120, TestMarket.Us(4, 0)) }, CancellationToken.None);
        var before = await WaitForTicksAsync(call.InstrumentToken, 1);

        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        // The read activates the partition again, which loads the instrument from its last written snapshot ...
        var restored = await Grains.GetGrain<IInstrumentGrain>(call.InstrumentToken).GetSnapshotAsync();
        Assert.Equal((before.Ticks, before.LastPrice, before.Position), (restored!.Value.Ticks, restored.Value.LastPrice, restored.Value.Position));

        // ... and the next tick carries on from it.
        await fixture.Writer.WriteAsync(new[] { TestMarket.Tick(call.InstrumentToken, 121, TestMarket.Us(4, 0, 1)) }, CancellationToken.None);
        var after = await WaitForTicksAsync(call.InstrumentToken, before.Ticks + 1);
        Assert.Equal(121, after.LastPrice);
    }

    [Fact]
    public async Task The_batcher_completes_a_caller_only_once_its_snapshots_are_written_and_splits_by_size()
    {
        var before = TickerClusterFixture.OptionBatchSizes.Count;
        var snapshots = new InstrumentSnapshot[TickerClusterFixture.MaxBatchSize * 2 + 1];
        var options = TestMarket.Master.Options(TestMarket.Nifty.InstrumentToken, TestMarket.Master.Expiries(TestMarket.Nifty.InstrumentToken)[0]);
        for (var i = 0; i < snapshots.Length; i++)
        {
            snapshots[i] = new InstrumentSnapshot { InstrumentToken = options[i].InstrumentToken, Kind = options[i].Kind, LastPrice = 1000 + i, Ticks = 1 };
        }

        await Grains.GetGrain<ISnapshotBatcherGrain>(0).AddAsync(new SnapshotSet([RawPayload.Pack<InstrumentSnapshot>(snapshots)]));

        foreach (var snapshot in snapshots)
        {
            Assert.True(TickerClusterFixture.Store.TryGet(snapshot.InstrumentToken, out var stored));
            Assert.Equal(snapshot.LastPrice, stored.LastPrice);
        }

        var sizes = TickerClusterFixture.OptionBatchSizes.ToArray()[before..];
        Assert.Contains(TickerClusterFixture.MaxBatchSize, sizes);
        Assert.All(sizes, size => Assert.InRange(size, 1, TickerClusterFixture.MaxBatchSize));
    }

    [Fact]
    public async Task Account_grains_answer_with_their_report_and_the_registry_lists_them()
    {
        var nowUs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        var account = Grains.GetGrain<IAccountGrain>("acct-live");
        await account.ReportAsync(new AccountState("acct-live", true, 2, 2, 4000, 123, 1, nowUs, nowUs, nowUs));
        var stale = Grains.GetGrain<IAccountGrain>("acct-stale");
        var longAgo = nowUs - 60_000_000;
        await stale.ReportAsync(new AccountState("acct-stale", true, 1, 1, 10, 5, 0, longAgo, longAgo, longAgo));

        var live = await account.GetStateAsync();
        Assert.True(live!.Active);
        Assert.Equal(4000, live.Instruments);
        Assert.False((await stale.GetStateAsync())!.Active);
        var ids = await Grains.GetGrain<IAccountRegistryGrain>(0).GetAccountIdsAsync();
        Assert.Contains("acct-live", ids);
        Assert.Contains("acct-stale", ids);
    }

    private async Task<InstrumentSnapshot> WaitForTicksAsync(uint token, long ticks)
    {
        var grain = Grains.GetGrain<IInstrumentGrain>(token);
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (await grain.GetSnapshotAsync() is { } snapshot && snapshot.Ticks >= ticks)
            {
                return snapshot;
            }

            Assert.True(DateTime.UtcNow < deadline, $"instrument {token} did not reach {ticks} ticks within {Patience.TotalSeconds} s");
            await Task.Delay(20);
        }
    }
}
