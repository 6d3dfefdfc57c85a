using System.Diagnostics;
using System.Text.Json;
using Ticker.Protocol.Redis;
using StackExchange.Redis;
using Ticker.Silo.LoadTest;
using Ticker.Tests.Infrastructure;
using Ticker.Tests.Silo.Transports.Redis;

namespace Ticker.Tests.Silo.Cluster;

/// <summary>Silo processes sharing the shards of one real redis-server, with a feed writing throughout.</summary>
public sealed class ClusterIntegrationTests
{
    private const int Shards = 6;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_killed_silo_is_taken_over_within_two_lease_periods_and_no_tick_is_lost_or_reordered()
    {
        await using var server = await RedisServerFixture.StartNewAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        await using var a = StartSilo(server.ConnectionString, "silo-a");
        await using var b = StartSilo(server.ConnectionString, "silo-b");
        await using var c = StartSilo(server.ConnectionString, "silo-c");
        await WaitForOwnersAsync(redis, owners => Spread(owners, "silo-a", "silo-b", "silo-c"), "three silos share the shards two each", a, b, c);
        await using var updates = await UpdateRecorder.StartAsync(redis);
        await using var feed = new RedisSiloHarness.Feed(server.ConnectionString, instruments: 500, shards: Shards);

        var feeding = feed.RunAsync(rate: 10_000, totalTicks: 40_000);
        await WaitUntilAsync(() => feed.Ingest.TicksWritten > 12_000, "the feed wrote 12,000 ticks");
        b.Kill();
        var killed = Stopwatch.StartNew();
        await WaitForOwnersAsync(redis, owners => Spread(owners, "silo-a", "silo-c"), "silo-a and silo-c own every shard", a, c);
        var takeover = killed.Elapsed;
        await feeding;
        await RedisSiloHarness.WaitUntilCaughtUpAsync(redis, TimeSpan.FromSeconds(60), Shards);

        Assert.True(takeover <= 2 * Lease, $"takeover took {takeover.TotalSeconds:F1} s, more than two lease periods ({2 * Lease.TotalSeconds} s)");
        await RedisSiloHarness.AssertSnapshotsMatchManifestAsync(redis, feed.ManifestLines());
        updates.AssertNoInstrumentWentBackwards();
    }

    [Fact]
    public async Task A_joining_silo_gets_its_share_and_a_leaving_silo_hands_its_shards_over_without_loss()
    {
        await using var server = await RedisServerFixture.StartNewAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        await using var a = StartSilo(server.ConnectionString, "silo-a");
        await using var b = StartSilo(server.ConnectionString, "silo-b");
        await WaitForOwnersAsync(redis, owners => Spread(owners, "silo-a", "silo-b"), "two silos share the shards three each", a, b);
        await using var feed = new RedisSiloHarness.Feed(server.ConnectionString, instruments: 500, shards: Shards);
        var feeding = feed.RunAsync(rate: 8_000, totalTicks: 40_000);

        await using var c = StartSilo(server.ConnectionString, "silo-c");
        await WaitForOwnersAsync(redis, owners => Spread(owners, "silo-a", "silo-b", "silo-c"), "the new silo got its share", a, b, c);

        await b.StopAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, b.ExitCode);
        var leases = await OwnersAsync(redis);
        Assert.DoesNotContain("silo-b", leases);
        await WaitForOwnersAsync(redis, owners => Spread(owners, "silo-a", "silo-c"), "the remaining silos own every shard", a, c);
        await feeding;
        await RedisSiloHarness.WaitUntilCaughtUpAsync(redis, TimeSpan.FromSeconds(60), Shards);

        await RedisSiloHarness.AssertSnapshotsMatchManifestAsync(redis, feed.ManifestLines());
        var silos = (await redis.GetDatabase().HashKeysAsync(TickerKeys.Silos)).Select(s => (string?)s).ToList();
        Assert.DoesNotContain("silo-b", silos);
    }

    private static ChildProcess StartSilo(string connectionString, string id) => ChildProcess.Start(
        "dotnet",
        [Path.Combine(AppContext.BaseDirectory, "ticker.dll"), "silo", "--redis", connectionString, "--silo-id", id, "--shards", Shards.ToString(System.Globalization.CultureInfo.InvariantCulture), "--http", "http://127.0.0.1:0"],
        new Dictionary<string, string> { ["TICKER_Cluster__LeasePeriod"] = Lease.ToString() });

    private static bool Spread(string?[] owners, params string[] silos)
    {
        if (owners.Any(o => o is null || !silos.Contains(o)))
        {
            return false;
        }

        var counts = silos.Select(s => owners.Count(o => o == s)).ToList();
        return counts.Max() - counts.Min() <= 1;
    }

    private static async Task<string?[]> OwnersAsync(IConnectionMultiplexer redis)
    {
        var keys = new RedisKey[Shards];
        for (var shard = 0; shard < Shards; shard++)
        {
            keys[shard] = TickerKeys.Lease(shard);
        }

        return [.. (await redis.GetDatabase().StringGetAsync(keys)).Select(r => (string?)r)];
    }

    private static async Task WaitForOwnersAsync(IConnectionMultiplexer redis, Func<string?[], bool> condition, string what, params ChildProcess[] silos)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var owners = await OwnersAsync(redis);
            if (condition(owners))
            {
                return;
            }

            foreach (var silo in silos)
            {
                Assert.False(silo.HasExited, $"a silo exited:\n{silo.Output}");
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}; owners: {string.Join(",", owners)}");
            await Task.Delay(50);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>Subscribes to every underlying's updates and keeps, per instrument, the <c>ticks</c> values in arrival order.</summary>
    private sealed class UpdateRecorder : IAsyncDisposable
    {
        private readonly ChannelMessageQueue _updates;
        private readonly Dictionary<uint, List<long>> _ticks = [];

        private UpdateRecorder(ChannelMessageQueue updates)
        {
            _updates = updates;
            _updates.OnMessage(message => Record(message.Message));
        }

        public static async Task<UpdateRecorder> StartAsync(IConnectionMultiplexer redis) =>
            new(await redis.GetSubscriber().SubscribeAsync(RedisChannel.Pattern("tick:updates:*")));

        public void AssertNoInstrumentWentBackwards()
        {
            lock (_ticks)
            {
                Assert.NotEmpty(_ticks);
                foreach (var (token, values) in _ticks)
                {
                    for (var i = 1; i < values.Count; i++)
                    {
                        Assert.True(values[i] >= values[i - 1], $"instrument {token} went from ticks {values[i - 1]} back to {values[i]}");
                    }
                }
            }
        }

        public async ValueTask DisposeAsync() => await _updates.UnsubscribeAsync();

        private void Record(RedisValue payload)
        {
            using var batch = JsonDocument.Parse((ReadOnlyMemory<byte>)payload);
            lock (_ticks)
            {
                foreach (var update in batch.RootElement.EnumerateArray())
                {
                    var token = update.GetProperty("instrument_token").GetUInt32();
                    if (!_ticks.TryGetValue(token, out var list))
                    {
                        _ticks[token] = list = [];
                    }

                    list.Add(update.GetProperty("ticks").GetInt64());
                }
            }
        }
    }
}
