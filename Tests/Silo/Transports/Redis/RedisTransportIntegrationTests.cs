using Ticker.Grains.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Protocol.Redis;
using StackExchange.Redis;
using Ticker.Silo.Diagnostics;
using Ticker.Silo.Transports.Redis;
using Ticker.Grains.Interfaces.Market;
using Ticker.Streaming.Statistics;
using Ticker.Tests.Infrastructure;

namespace Ticker.Tests.Silo.Transports.Redis;

/// <summary>Feed (an Orleans client) → the Redis Streams tick stream → silo → Redis hashes, on a real redis-server per test.</summary>
public sealed class RedisTransportIntegrationTests
{
    [Fact]
    public async Task Every_snapshot_agrees_with_the_feed_manifest_and_chains_are_indexed()
    {
        await using var server = await RedisServerFixture.StartNewAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        await using var silo = RedisSiloHarness.BuildSilo(server.ConnectionString, "silo-a");
        await silo.StartAsync();
        await using var feed = new RedisSiloHarness.Feed(server.ConnectionString, instruments: 400);

        await feed.RunAsync(rate: 0, totalTicks: 40_000);
        await RedisSiloHarness.WaitUntilCaughtUpAsync(redis, TimeSpan.FromSeconds(60));
        await silo.StopAsync();

        var manifest = feed.ManifestLines();
        await RedisSiloHarness.AssertSnapshotsMatchManifestAsync(redis, manifest);
        Assert.Equal(40_000, manifest.Sum(m => m.GetProperty("ticks").GetInt64()));

        // The nearest NIFTY expiry's chain lists the option tokens that ticked, scored by strike.
        var master = RedisSiloHarness.Master;
        master.TryGetUnderlying("NIFTY", out var nifty);
        var expiry = master.Expiries(nifty!.InstrumentToken)[0];
        var ticked = manifest.Select(m => m.GetProperty("instrument_token").GetUInt32()).ToHashSet();
        var expected = master.Options(nifty.InstrumentToken, expiry).Where(o => ticked.Contains(o.InstrumentToken)).ToList();
        var chain = await redis.GetDatabase().SortedSetRangeByRankWithScoresAsync(TickerKeys.Chain("NIFTY", expiry));
        var indexed = chain.ToDictionary(e => (uint)(long)e.Element, e => e.Score);

        Assert.NotEmpty(expected);
        Assert.Equal(expected.Count, indexed.Count);
        foreach (var option in expected)
        {
            Assert.Equal(option.Strike, indexed[option.InstrumentToken]);
        }
    }

    [Fact]
    public async Task Killing_redis_mid_run_loses_no_tick_and_the_silo_recovers_by_itself()
    {
        await using var server = await RedisServerFixture.StartNewAsync(new RedisServerFixtureOptions { AppendOnly = true });
        await using var silo = RedisSiloHarness.BuildSilo(server.ConnectionString, "silo-a");
        await silo.StartAsync();
        using var http = new HttpClient { BaseAddress = RedisSiloHarness.BaseAddress(silo) };
        await using var feed = new RedisSiloHarness.Feed(server.ConnectionString, instruments: 300);

        var feeding = feed.RunAsync(rate: 20_000, totalTicks: 60_000);
        await WaitUntilAsync(() => feed.Ingest.TicksWritten > 15_000, "the feed wrote 15,000 ticks");
        server.Kill();
        await WaitUntilAsync(async () => !(await http.GetAsync("/health")).IsSuccessStatusCode, "health turned unready");
        await Task.Delay(1000);
        await server.RestartAsync();
        await feeding;

        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        await RedisSiloHarness.WaitUntilCaughtUpAsync(redis, TimeSpan.FromSeconds(30), silo: silo);
        await WaitUntilAsync(async () => (await http.GetAsync("/health")).IsSuccessStatusCode, "health is ready again");
        await silo.StopAsync();
        Assert.True(feed.Statistics.WriteRetries > 0, "the feed never had to retry: Redis was not down while it wrote");
        await RedisSiloHarness.AssertSnapshotsMatchManifestAsync(redis, feed.ManifestLines());
    }

    [Fact]
    public async Task An_undecodable_entry_goes_to_the_dead_letter_stream_and_the_shard_goes_on()
    {
        await using var server = await RedisServerFixture.StartNewAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        await using var silo = RedisSiloHarness.BuildSilo(server.ConnectionString, "silo-a");
        await silo.StartAsync();
        await using var feed = new RedisSiloHarness.Feed(server.ConnectionString, instruments: 50);
        await feed.RunAsync(0, 100);
        await RedisSiloHarness.WaitUntilCaughtUpAsync(redis, TimeSpan.FromSeconds(30));

        await redis.GetDatabase().StreamAddAsync(TickerKeys.InputStream(0), [new NameValueEntry("t", "1"), new NameValueEntry("k", "garbage!")]);
        var statistics = silo.Services.GetRequiredKeyedService<RedisTickStreamStatistics>(ITickPartitionGrain.StreamProvider);
        await feed.RunAsync(0, 200);
        await RedisSiloHarness.WaitUntilCaughtUpAsync(redis, TimeSpan.FromSeconds(30));

        var dead = await redis.GetDatabase().StreamRangeAsync(TickerKeys.DeadLetter);
        Assert.Single(dead);
        Assert.Equal("tick:in:0", (string?)dead[0]["stream"]);
        Assert.Equal(nameof(DeadLetterReason.MissingField), (string?)dead[0]["reason"]);
        Assert.Equal("garbage!", (string?)dead[0]["f:k"]);
        Assert.Equal(1, statistics.DeadLettered(DeadLetterReason.MissingField));
        await silo.StopAsync();
        Assert.Equal(200, silo.Services.GetRequiredService<SiloStatistics>().Capture().TicksProcessed);
    }

    [Fact]
    public async Task Entries_read_again_after_the_group_is_rewound_are_skipped_counted_and_change_no_snapshot()
    {
        await using var server = await RedisServerFixture.StartNewAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        await using var silo = RedisSiloHarness.BuildSilo(server.ConnectionString, "silo-a");
        await silo.StartAsync();
        using var http = new HttpClient { BaseAddress = RedisSiloHarness.BaseAddress(silo) };
        await using var feed = new RedisSiloHarness.Feed(server.ConnectionString, instruments: 100);
        await feed.RunAsync(0, 2_000);
        await RedisSiloHarness.WaitUntilCaughtUpAsync(redis, TimeSpan.FromSeconds(30));

        // Every entry is delivered a second time, as after a lost acknowledgement: the states hold them all already.
        for (var shard = 0; shard < RedisSiloHarness.Shards; shard++)
        {
            await redis.GetDatabase().ExecuteAsync("XGROUP", "SETID", TickerKeys.InputStream(shard), TickerKeys.ConsumerGroup, "0", "ENTRIESREAD", "0");
        }

        await RedisSiloHarness.WaitUntilCaughtUpAsync(redis, TimeSpan.FromSeconds(30), silo: silo);
        var metrics = await http.GetStringAsync("/metrics");
        await silo.StopAsync();

        var statistics = silo.Services.GetRequiredService<SiloStatistics>();
        Assert.Equal(2_000, statistics.Shards.Sum(s => s.RedeliveredTicks));
        Assert.Equal(2_000, statistics.Capture().TicksProcessed);
        Assert.Contains("\nticks_redelivered_total 2000\n", metrics, StringComparison.Ordinal);
        await RedisSiloHarness.AssertSnapshotsMatchManifestAsync(redis, feed.ManifestLines());
    }

    [Fact]
    public async Task The_http_api_reads_snapshots_back_from_redis()
    {
        await using var server = await RedisServerFixture.StartNewAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        await using var silo = RedisSiloHarness.BuildSilo(server.ConnectionString, "silo-a");
        await silo.StartAsync();
        using var http = new HttpClient { BaseAddress = RedisSiloHarness.BaseAddress(silo) };
        await using var feed = new RedisSiloHarness.Feed(server.ConnectionString, instruments: 200);
        await feed.RunAsync(0, 5_000);
        await RedisSiloHarness.WaitUntilCaughtUpAsync(redis, TimeSpan.FromSeconds(30));

        using var chain = await http.GetFromJsonAsync<JsonDocument>("/api/chain/NIFTY");
        var withIv = chain!.RootElement.GetProperty("strikes").EnumerateArray()
            .Select(r => r.GetProperty("call"))
            .Count(c => c.ValueKind == JsonValueKind.Object && c.GetProperty("iv").ValueKind == JsonValueKind.Number);
        Assert.True(withIv > 0, "no call in the NIFTY chain had an IV");
        await silo.StopAsync();
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what) =>
        await WaitUntilAsync(() => Task.FromResult(condition()), what);

    private static async Task WaitUntilAsync(Func<bool> condition, Func<string> what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what()}");
            await Task.Delay(50);
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not answering yet counts as "not yet".
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(50);
        }
    }
}
