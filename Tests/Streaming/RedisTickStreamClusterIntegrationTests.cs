using StackExchange.Redis;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Market;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Protocol.Redis;
using Ticker.Tests.Infrastructure;

namespace Ticker.Tests.Streaming;

[Collection(RedisTickStreamClusterCollection.Name)]
public sealed class RedisTickStreamClusterIntegrationTests(RedisTickStreamClusterFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private ConnectionMultiplexer _redis = null!;

    private IDatabase Db => _redis.GetDatabase();

    public async Task InitializeAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString);

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task Batches_published_through_the_client_reach_their_grains_and_every_entry_is_acknowledged()
    {
        var call = TestMarket.NiftyOption(InstrumentKind.Call, 24000);
        var put = TestMarket.NiftyOption(InstrumentKind.Put, 24000);
        await fixture.Writer.WriteAsync(
            new[]
            {
                TestMarket.Tick(TestMarket.Nifty.InstrumentToken, 24000, TestMarket.Us(4, 0)),
                TestMarket.Tick(call.InstrumentToken, 150, TestMarket.Us(4, 0)),
                TestMarket.Tick(put.InstrumentToken, 140, TestMarket.Us(4, 0)),
            },
            CancellationToken.None);
        await fixture.Writer.WriteAsync(new[] { TestMarket.Tick(call.InstrumentToken, 152, TestMarket.Us(4, 0, 1)) }, CancellationToken.None);

        var snapshot = await WaitForTicksAsync(call.InstrumentToken, 2);
        Assert.Equal(152, snapshot.LastPrice);
        Assert.Equal(1, (await WaitForTicksAsync(put.InstrumentToken, 1)).Ticks);

        // The position a grain keeps is the Redis id of the entry its tick came in.
        var entry = snapshot.Position.Entry.ToString();
        var found = false;
        for (var queue = 0; queue < RedisTickStreamClusterFixture.Partitions; queue++)
        {
            found |= (await Db.StreamRangeAsync(TickerKeys.InputStream(queue), entry, entry)).Length == 1;
        }

        Assert.True(found, $"entry {entry} of the snapshot's position is not in any queue");
        await WaitUntilAllAcknowledgedAsync();
    }

    [Fact]
    public async Task A_stream_deleted_mid_run_is_created_again_and_delivery_goes_on()
    {
        var call = TestMarket.NiftyOption(InstrumentKind.Call, 24200);
        await fixture.Writer.WriteAsync(new[] { TestMarket.Tick(call.InstrumentToken, 90, TestMarket.Us(5, 0)) }, CancellationToken.None);
        var before = await WaitForTicksAsync(call.InstrumentToken, 1);
        await WaitUntilAllAcknowledgedAsync();

        for (var queue = 0; queue < RedisTickStreamClusterFixture.Partitions; queue++)
        {
            await Db.KeyDeleteAsync(TickerKeys.InputStream(queue));
        }

        await WaitUntilAsync(() => fixture.Statistics.Sum(s => s.Recreated) >= 1, "a receiver or the producer should recreate the deleted stream");
        await fixture.Writer.WriteAsync(new[] { TestMarket.Tick(call.InstrumentToken, 91, TestMarket.Us(5, 1)) }, CancellationToken.None);

        var after = await WaitForTicksAsync(call.InstrumentToken, before.Ticks + 1);
        Assert.Equal(91, after.LastPrice);
        await WaitUntilAllAcknowledgedAsync();
    }

    private async Task WaitUntilAllAcknowledgedAsync()
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            long backlog = 0;
            for (var queue = 0; queue < RedisTickStreamClusterFixture.Partitions; queue++)
            {
                var key = TickerKeys.InputStream(queue);
                if (await Db.KeyExistsAsync(key))
                {
                    var group = (await Db.StreamGroupInfoAsync(key)).Single(g => g.Name == TickerKeys.ConsumerGroup);
                    backlog += group.PendingMessageCount + (group.Lag ?? 1);
                }
            }

            if (backlog == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{backlog} entries still unread or pending after {Patience.TotalSeconds} s");
            await Task.Delay(20);
        }
    }

    private async Task<InstrumentSnapshot> WaitForTicksAsync(uint token, long ticks)
    {
        var grain = fixture.Cluster.GrainFactory.GetGrain<IInstrumentGrain>(token);
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

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(20);
        }
    }
}
