using Ticker.Grains.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Ticker.Client.Ingestion;
using Ticker.Client.Synthetic;
using Ticker.Grains.Instruments;
using Ticker.Grains.Streams;
using StackExchange.Redis;
using Ticker.Protocol.Redis;
using Ticker.Silo.Hosting;
using Ticker.Grains.Interfaces.Market;
using Ticker.Silo.Commands;
using Ticker.Streaming.Statistics;
using Ticker.Silo.Transports.Redis;

namespace Ticker.Tests.Silo.Transports.Redis;

/// <summary>A silo on Redis in this process, and a synthetic feed writing into the same Redis.</summary>
internal static class RedisSiloHarness
{
    public const int Shards = 2;

    public static InstrumentMaster Master { get; } = SyntheticMaster.Create(SyntheticMaster.TodayInIndia(TimeProvider.System));

    public static WebApplication BuildSilo(string connectionString, string siloId, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Http:Url"] = "http://127.0.0.1:0",
            ["Redis:ConnectionString"] = connectionString,
            ["Silo:ShardCount"] = Shards.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Silo:SiloId"] = siloId,
        };
        foreach (var (k, v) in extra ?? [])
        {
            settings[k] = v;
        }

        return SiloApplication.Build(settings, static (services, configuration) => services.AddRedisSilo(configuration));
    }

    public static Uri BaseAddress(WebApplication app) =>
        new(app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>
    /// A feed writing the synthetic market into the cluster on Redis, as <c>./ticker feed --redis</c> does (an Orleans
    /// client of the cluster publishing into the Redis Streams tick stream), recording what it wrote. A silo of the
    /// cluster must be running: the client connects when the feed is created.
    /// </summary>
    public sealed class Feed : IAsyncDisposable
    {
        private readonly FeedTarget _target;

        public Feed(string connectionString, int instruments, int shards = Shards)
        {
            // Test code: the target's start is ConfigureAwait(false) throughout, so waiting here cannot deadlock.
            _target = FeedTarget.CreateRedisTargetAsync(connectionString, Master, shards, NullLoggerFactory.Instance, TextWriter.Null, CancellationToken.None)
                .GetAwaiter().GetResult();
            Manifest = new FeedManifest(Master);
            Ingest = new IngestWriter(_target.Writer, Manifest);
            Market = new SyntheticMarket(Master, new SyntheticMarketOptions { Instruments = instruments });
            Synthetic = new SyntheticFeed(Market, Ingest, TimeProvider.System);
        }

        public FeedManifest Manifest { get; }

        /// <summary>The feed's stream provider counters (writes, retries, throttling).</summary>
        public RedisTickStreamStatistics Statistics => _target.Services.GetRequiredKeyedService<RedisTickStreamStatistics>(ITickPartitionGrain.StreamProvider);

        public IngestWriter Ingest { get; }

        public SyntheticMarket Market { get; }

        public SyntheticFeed Synthetic { get; }

        /// <summary>Feeds until <paramref name="totalTicks"/> have been produced since the feed was created.</summary>
        public Task<long> RunAsync(double rate, long totalTicks, CancellationToken cancellationToken = default) =>
            Task.Run(() => Synthetic.RunAsync(rate, null, cancellationToken, totalTicks));

        /// <summary>The manifest as the feed command writes it: one JSON object per instrument.</summary>
        public List<JsonElement> ManifestLines()
        {
            using var stream = new MemoryStream();
            Manifest.WriteJsonLines(stream);
            return [.. System.Text.Encoding.UTF8.GetString(stream.ToArray())
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => JsonDocument.Parse(line).RootElement.Clone())];
        }

        public ValueTask DisposeAsync() => _target.DisposeAsync();
    }

    /// <summary>Waits until every shard's consumer group has nothing pending and nothing unread.</summary>
    public static async Task WaitUntilCaughtUpAsync(IConnectionMultiplexer redis, TimeSpan timeout, int shards = Shards, WebApplication? silo = null)
    {
        var db = redis.GetDatabase();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            long backlog = 0;
            var perShard = new List<string>();
            try
            {
                for (var shard = 0; shard < shards; shard++)
                {
                    var group = await TickStreamBacklog.ReadAsync(db, TickerKeys.InputStream(shard));
                    backlog += group.Backlog;
                    perShard.Add($"shard {shard}: {group.Backlog} ({group.Pending} pending)");
                }
            }
            catch (Exception ex) when ((ex is RedisException or TimeoutException) && DateTime.UtcNow < deadline)
            {
                // Redis may still be loading after a restart: ask again.
                perShard.Add(ex.Message);
                backlog = -1;
            }

            if (backlog == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the silo did not catch up: {backlog} entries pending or unread; {string.Join(", ", perShard)}; {Describe(silo)}");
            await Task.Delay(50);
        }
    }

    private static string Describe(WebApplication? silo)
    {
        if (silo is null)
        {
            return "";
        }

        var stats = silo.Services.GetRequiredService<Ticker.Grains.Diagnostics.SiloStatistics>();
        return string.Join("; ", stats.Shards.Select(s =>
            $"partition {s.Shard}: entries read {s.EntriesRead}, applied {s.TicksProcessed}, redelivered {s.RedeliveredTicks}, batches {s.BatchesFlushed}, flush failures {s.FlushFailures}"))
            + $"; pending snapshots {stats.PendingSnapshots}";
    }

    /// <summary>Asserts every instrument's hash agrees with the manifest: ticks, last price and volume.</summary>
    public static async Task AssertSnapshotsMatchManifestAsync(IConnectionMultiplexer redis, List<JsonElement> manifest)
    {
        Assert.NotEmpty(manifest);
        var db = redis.GetDatabase();
        var mismatches = new List<string>();
        foreach (var line in manifest)
        {
            var token = line.GetProperty("instrument_token").GetUInt32();
            var fields = (await db.HashGetAllAsync(TickerKeys.Snapshot(token))).ToStringDictionary();

            var expected = (line.GetProperty("ticks").GetInt64(), line.GetProperty("last_price").GetDouble(), line.GetProperty("volume_traded").GetInt64());
            var actual = fields.Count == 0 ? (0L, 0.0, 0L)
                : (long.Parse(fields["ticks"]), double.Parse(fields["last_price"], System.Globalization.CultureInfo.InvariantCulture), long.Parse(fields["volume_traded"]));
            if (expected != actual)
            {
                mismatches.Add($"{token}: manifest {expected}, snapshot {actual}");
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {manifest.Count} instruments disagree, e.g. {string.Join("; ", mismatches.Take(5))}");
    }
}
