using Ticker.Client.Library;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Protocol.Redis;
using StackExchange.Redis;
using Ticker.Tests.Infrastructure;
using Ticker.Tests.Silo.Transports.Redis;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Tests.Client.Library;

/// <summary>Live updates from a real silo publishing on a real redis-server (one server per test).</summary>
public sealed class TickerClientSubscriptionIntegrationTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static InstrumentMaster Master => RedisSiloHarness.Master;

    [Fact]
    public async Task Subscribing_to_an_underlying_yields_its_instruments_and_keeps_yielding_after_redis_restarts()
    {
        await using var server = await RedisServerFixture.StartNewAsync(new RedisServerFixtureOptions { AppendOnly = true });
        await using var silo = RedisSiloHarness.BuildSilo(server.ConnectionString, "silo-a");
        await silo.StartAsync();
        await using var client = await TickerClient.ConnectAsync(server.ConnectionString, Master);
        await using var feed = new RedisSiloHarness.Feed(server.ConnectionString, instruments: 200);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var updates = client.SubscribeAsync("NIFTY", stop.Token).GetAsyncEnumerator(stop.Token);

        // Before the restart: updates of the index and of NIFTY options only, enriched from the master.
        var subscribed = updates.MoveNextAsync();
        await WaitUntilAsync(async () => await NumSubAsync(server, "NIFTY") == 1, "the client subscribed");
        var feeding = feed.RunAsync(rate: 2_000, totalTicks: 4_000, stop.Token);
        Assert.True(await subscribed);
        AssertNifty(updates.Current);
        var before = await ReadUntilAsync(updates, u => u.Snapshot.IsOption, stop.Token);
        Assert.All(before, AssertNifty);
        var option = before[^1];
        Assert.True(Master.TryGet(option.InstrumentToken, out var instrument));
        Assert.Equal(instrument.TradingSymbol, option.TradingSymbol);
        Assert.Equal(instrument.Strike, option.Snapshot.Strike);
        Assert.Equal(instrument.Expiry, option.Snapshot.Expiry);
        Assert.Equal("NIFTY", option.Underlying);
        await feeding;

        await server.RestartAsync();
        var restartedAtUs = UnixTime.Microseconds(DateTimeOffset.UtcNow);

        // After the restart: ticks the feed receives from now on must come through on the resubscribed channel.
        feeding = feed.RunAsync(rate: 2_000, totalTicks: 8_000, stop.Token);
        var after = await ReadUntilAsync(updates, u => u.Snapshot.ReceivedAtUs > restartedAtUs, stop.Token);
        Assert.All(after, AssertNifty);
        Assert.True(client.SubscriptionReconnects > 0, "the subscriber never reconnected: Redis did not restart under it");
        await feeding;
        await silo.StopAsync();
    }

    [Fact]
    public async Task Subscribing_to_tokens_yields_only_those_from_the_channels_of_their_underlyings()
    {
        await using var server = await RedisServerFixture.StartNewAsync();
        await using var silo = RedisSiloHarness.BuildSilo(server.ConnectionString, "silo-a");
        await silo.StartAsync();
        await using var client = await TickerClient.ConnectAsync(server.ConnectionString, Master);
        await using var feed = new RedisSiloHarness.Feed(server.ConnectionString, instruments: 60);
        var ticked = feed.Market.Instruments;
        var niftyOption = ticked.First(i => i.IsOption && i.UnderlyingToken == SyntheticMaster.Nifty50Token).InstrumentToken;
        uint[] wanted = [SyntheticMaster.NiftyBankToken, niftyOption];
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var updates = client.SubscribeAsync(wanted, stop.Token).GetAsyncEnumerator(stop.Token);

        var feeding = feed.RunAsync(rate: 5_000, totalTicks: 1_000_000, stop.Token);
        var seen = new HashSet<uint>();
        while (seen.Count < wanted.Length)
        {
            Assert.True(await updates.MoveNextAsync());
            var update = updates.Current;
            Assert.Contains(update.InstrumentToken, wanted);
            Assert.Equal(update.InstrumentToken == SyntheticMaster.NiftyBankToken ? "BANKNIFTY" : "NIFTY", update.Underlying);
            seen.Add(update.InstrumentToken);
        }

        Assert.Equal(2, await NumSubAsync(server, "BANKNIFTY") + await NumSubAsync(server, "NIFTY"));
        await stop.CancelAsync();
        await feeding;
        await silo.StopAsync();
    }

    [Fact]
    public async Task Cancelling_ends_the_enumeration_and_releases_the_channel()
    {
        await using var server = await RedisServerFixture.StartNewAsync();
        await using var client = await TickerClient.ConnectAsync(server.ConnectionString, Master);
        using var cancel = new CancellationTokenSource();
        var reading = Task.Run(async () =>
        {
            var count = 0;
            await foreach (var update in client.SubscribeAsync("BANKNIFTY", cancel.Token))
            {
                count++;
            }

            return count;
        });

        // Nothing is published, so the consumer is parked waiting; once it is subscribed, cancel it.
        await WaitUntilAsync(async () => await NumSubAsync(server, "BANKNIFTY") == 1, "the client subscribed");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
        await WaitUntilAsync(async () => await NumSubAsync(server, "BANKNIFTY") == 0, "the client unsubscribed");

        // Disposing the client ends a running enumeration without an error.
        var second = Task.Run(async () =>
        {
            var count = 0;
            await foreach (var update in client.SubscribeAsync("NIFTY"))
            {
                count++;
            }

            return count;
        });
        await WaitUntilAsync(async () => await NumSubAsync(server, "NIFTY") == 1, "the client subscribed again");
        await client.DisposeAsync();
        Assert.Equal(0, await second);
    }

    [Fact]
    public async Task A_consumer_that_falls_behind_loses_the_oldest_updates_within_a_bounded_buffer()
    {
        const int Capacity = 16;
        await using var server = await RedisServerFixture.StartNewAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        await using var silo = RedisSiloHarness.BuildSilo(server.ConnectionString, "silo-a");
        await silo.StartAsync();
        await using var client = await TickerClient.ConnectAsync(
            server.ConnectionString, Master, new TickerClientOptions { UpdateBufferCapacity = Capacity });
        await using var feed = new RedisSiloHarness.Feed(server.ConnectionString, instruments: 100);
        await using var updates = client.SubscribeAsync("NIFTY").GetAsyncEnumerator();

        // The consumer reads one update, which proves the subscription is live, then stops reading while the feed runs.
        var first = updates.MoveNextAsync();
        await WaitUntilAsync(async () => await NumSubAsync(server, "NIFTY") == 1, "the client subscribed");
        await feed.RunAsync(rate: 0, totalTicks: 5_000);
        Assert.True(await first);
        await RedisSiloHarness.WaitUntilCaughtUpAsync(redis, Patience);

        await WaitUntilAsync(() => Task.FromResult(client.DroppedUpdates > 0), "updates were dropped");
        Assert.InRange(client.BufferedUpdates, 0, Capacity);
        Assert.True(client.DeliveredUpdates > 10 * Capacity);

        // What is left is the newest: reading on reaches each instrument's final state as the feed recorded it.
        var final = feed.ManifestLines().ToDictionary(m => m.GetProperty("instrument_token").GetUInt32(), m => m.GetProperty("ticks").GetInt64());
        var read = 0;
        while (true)
        {
            Assert.True(await updates.MoveNextAsync());
            read++;
            Assert.True(read <= 10 * Capacity, "the buffer held more than it should");
            var update = updates.Current;
            if (client.BufferedUpdates == 0 && update.Snapshot.Ticks == final[update.InstrumentToken])
            {
                break;
            }
        }

        await silo.StopAsync();
    }

    private static void AssertNifty(SnapshotUpdate update)
    {
        Assert.True(Master.TryGet(update.InstrumentToken, out var instrument), $"unknown token {update.InstrumentToken}");
        Assert.True(
            instrument.InstrumentToken == SyntheticMaster.Nifty50Token || instrument.UnderlyingToken == SyntheticMaster.Nifty50Token,
            $"{instrument.TradingSymbol} is not NIFTY's");
        Assert.Equal(instrument.Kind, update.Snapshot.Kind);
        Assert.True(update.Snapshot.Ticks > 0);
        Assert.True(update.Snapshot.LastPrice > 0);
        if (instrument.Kind == InstrumentKind.Underlying)
        {
            Assert.Equal(0, update.Snapshot.Strike);
        }
    }

    private static async Task<List<SnapshotUpdate>> ReadUntilAsync(
        IAsyncEnumerator<SnapshotUpdate> updates, Func<SnapshotUpdate, bool> enough, CancellationToken cancellationToken)
    {
        var read = new List<SnapshotUpdate>();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Assert.True(await updates.MoveNextAsync(), "the enumeration ended");
            read.Add(updates.Current);
            if (enough(updates.Current))
            {
                return read;
            }
        }
    }

    private static async Task<long> NumSubAsync(RedisServerFixture server, string underlying)
    {
        var reply = await server.CliAsync("PUBSUB", "NUMSUB", TickerKeys.Updates(underlying));
        return long.Parse(reply.Split('\n', StringSplitOptions.TrimEntries)[^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(50);
        }
    }
}
