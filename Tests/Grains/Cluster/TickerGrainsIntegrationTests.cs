using System.Runtime.InteropServices;
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
    public async Task A_redelivered_tick_is_skipped_and_counted_and_state_does_not_move()
    {
        var put = TestMarket.NiftyOption(InstrumentKind.Put, 23900);
        var grain = Grains.GetGrain<IInstrumentGrain>(put.InstrumentToken);
        var routed = new[]
        {
            Routed(put.InstrumentToken, 100, new StreamPosition(new StreamEntryId(5, 0), 0)),
            Routed(put.InstrumentToken, 101, new StreamPosition(new StreamEntryId(5, 0), 1)),
        };

        var first = await grain.ApplyAsync(new InstrumentTicks(RawPayload.Pack<RoutedTick>(routed)));
        var again = await grain.ApplyAsync(new InstrumentTicks(RawPayload.Pack<RoutedTick>(routed)));

        Assert.Equal((2, 0), (first.Applied, first.Duplicates));
        Assert.Equal((0, 2), (again.Applied, again.Duplicates));

        // A redelivery answers with the current state once, so a snapshot whose first write was lost is written.
        var resent = RawPayload.View<InstrumentSnapshot>(again.Snapshots);
        Assert.Equal(1, resent.Length);
        Assert.Equal((2L, 101.0), (resent[0].Ticks, resent[0].LastPrice));
        var snapshot = await grain.GetSnapshotAsync();
        Assert.Equal(2, snapshot!.Value.Ticks);
        Assert.Equal(101, snapshot.Value.LastPrice);
    }

    [Fact]
    public async Task A_deactivated_grain_comes_back_with_its_state_from_the_snapshot_store()
    {
        var call = TestMarket.NiftyOption(InstrumentKind.Call, 24100);
        var grain = Grains.GetGrain<IInstrumentGrain>(call.InstrumentToken);
        var result = await grain.ApplyAsync(new InstrumentTicks(RawPayload.Pack<RoutedTick>(
            [Routed(call.InstrumentToken, 120, new StreamPosition(new StreamEntryId(9, 0), 0))])));
        await Grains.GetGrain<ISnapshotBatcherGrain>(0).AddAsync(new SnapshotSet([result.Snapshots]));

        var management = Grains.GetGrain<IManagementGrain>(0);
        await management.ForceActivationCollection(TimeSpan.Zero);

        var restored = await grain.GetSnapshotAsync();
        Assert.Equal(1, restored!.Value.Ticks);
        var redelivered = await grain.ApplyAsync(new InstrumentTicks(RawPayload.Pack<RoutedTick>(
            [Routed(call.InstrumentToken, 120, new StreamPosition(new StreamEntryId(9, 0), 0))])));
        Assert.Equal(1, redelivered.Duplicates);
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

    private static RoutedTick Routed(uint token, double price, StreamPosition position) => new()
    {
        Tick = TestMarket.Tick(token, price, TestMarket.Us(4, 0)),
        Position = position,
        UnderlyingPrice = 24000,
    };

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
