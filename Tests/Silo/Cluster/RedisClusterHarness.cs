using System.Diagnostics;
using System.Globalization;
using System.Text;
using StackExchange.Redis;
using Ticker.Grains.Instruments;
using Ticker.Grains.Streams;
using Ticker.Protocol.Redis;
using Ticker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Ticker.Tests.Silo.Cluster;

/// <summary>
/// One real redis-server, silo processes and feed processes for a test: starts them, waits for the cluster to settle,
/// watches the snapshot updates, checks snapshots against feed manifests, and puts every process's output in the
/// message of any failure.
/// </summary>
internal sealed class RedisClusterHarness : IAsyncDisposable
{
    private const int OutputTail = 6_000;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    private readonly ITestOutputHelper _output;
    private readonly List<SiloProcess> _silos = [];
    private readonly List<FeedProcess> _feeds = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly string _directory = Directory.CreateTempSubdirectory("ticker-cluster-").FullName;
    private ShardMap? _shards;
    private ClusterState? _lastCluster;

    private RedisClusterHarness(ITestOutputHelper output, RedisServerFixture server, ConnectionMultiplexer redis, SnapshotUpdateRecorder updates)
    {
        _output = output;
        Server = server;
        Redis = redis;
        Updates = updates;
    }

    /// <summary>The redis-server.</summary>
    public RedisServerFixture Server { get; }

    /// <summary>The test's own connection (survives a Redis restart: it reconnects).</summary>
    public ConnectionMultiplexer Redis { get; }

    /// <summary>Every snapshot update published while the test ran.</summary>
    public SnapshotUpdateRecorder Updates { get; }

    /// <summary>The queue count the cluster agreed on (after the first silo started).</summary>
    public int QueueCount => _shards?.ShardCount ?? throw new InvalidOperationException("no silo has recorded the queue count yet");

    /// <summary>Starts redis-server (with <c>appendfsync always</c> when <paramref name="appendOnly"/>) and subscribes to the updates.</summary>
    public static async Task<RedisClusterHarness> StartAsync(ITestOutputHelper output, bool appendOnly = false)
    {
        var server = await RedisServerFixture.StartNewAsync(new RedisServerFixtureOptions { AppendOnly = appendOnly });
        try
        {
            var redis = await ConnectionMultiplexer.ConnectAsync($"{server.ConnectionString},abortConnect=false,connectTimeout=2000,syncTimeout=5000,asyncTimeout=5000");
            return new RedisClusterHarness(output, server, redis, await SnapshotUpdateRecorder.StartAsync(redis));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Writes a line to the test output, with the seconds since the harness started.</summary>
    public void Log(string message) =>
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{_clock.Elapsed.TotalSeconds,6:F1} s] {message}"));

    /// <summary>Starts a silo named <paramref name="name"/>.</summary>
    public SiloProcess StartSilo(string name)
    {
        var silo = SiloProcess.Start(Server.ConnectionString, name);
        _silos.Add(silo);
        Log($"started silo {name} (pid {silo.Pid}) at {silo.Url}");
        return silo;
    }

    /// <summary>Starts a synthetic feed that ends by itself after <paramref name="ticks"/> ticks.</summary>
    public FeedProcess StartFeed(string name, int instruments, int rate, long ticks)
    {
        var feed = FeedProcess.Start(Server.ConnectionString, name, _directory, instruments, rate, ticks);
        _feeds.Add(feed);
        Log($"started {name}: {instruments} instruments, {rate} ticks/s, {ticks} ticks");
        return feed;
    }

    /// <summary>
    /// Polls <c>/api/cluster</c> on the running, unpaused silos until one answers with a state that satisfies
    /// <paramref name="condition"/>; fails the test after <paramref name="timeout"/> (60 s by default).
    /// </summary>
    public async Task<ClusterState> WaitForClusterAsync(string description, Func<ClusterState, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(120);
        while (deadline.Elapsed < limit)
        {
            if (await TryGetClusterAsync() is { } state && condition(state))
            {
                await LearnQueueCountAsync();
                return state;
            }

            await Task.Delay(Poll);
        }

        Assert.Fail($"timed out after {limit.TotalSeconds:F0} s waiting until {description}; last /api/cluster: {_lastCluster?.ToString() ?? "(no answer)"}\nconsumer groups: {await DescribeConsumersAsync()}{Describe()}");
        return null!;
    }

    /// <summary>The <c>/api/cluster</c> of the first running, unpaused silo that answers, or <see langword="null"/>.</summary>
    public async Task<ClusterState?> TryGetClusterAsync()
    {
        foreach (var silo in _silos.Where(s => !s.HasExited && !s.IsPaused))
        {
            if (await silo.TryGetClusterAsync() is { } state)
            {
                _lastCluster = state;
                return state;
            }
        }

        return null;
    }

    /// <summary>The instruments that have a snapshot in Redis now (SCAN tick:snap:*).</summary>
    public async Task<List<uint>> SnapshotTokensAsync()
    {
        var tokens = new List<uint>();
        await foreach (var key in Redis.GetServer(Redis.GetEndPoints()[0]).KeysAsync(pattern: "tick:snap:*", pageSize: 1000))
        {
            if (uint.TryParse(((string)key!).AsSpan("tick:snap:".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var token))
            {
                tokens.Add(token);
            }
        }

        return tokens;
    }

    /// <summary>Waits until <paramref name="silos"/> are the live silos, each owning at least one queue, and every queue is owned.</summary>
    public Task<ClusterState> WaitForSpreadAsync(params string[] silos) =>
        WaitForClusterAsync($"{string.Join(", ", silos)} are the live silos and own every queue", s => s.IsSpreadOver(silos));

    /// <summary>Waits until the silos together applied at least <paramref name="ticks"/> option ticks (by their counters).</summary>
    public async Task WaitForOptionTicksAsync(long ticks, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(120);
        long applied = 0;
        while (deadline.Elapsed < limit)
        {
            applied = 0;
            foreach (var silo in _silos.Where(s => !s.HasExited && !s.IsPaused))
            {
                try
                {
                    applied += await silo.GetOptionTicksAppliedAsync();
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
                {
                }
            }

            if (applied >= ticks)
            {
                Log($"the silos applied {applied} option ticks");
                return;
            }

            await Task.Delay(Poll);
        }

        Assert.Fail($"the silos applied only {applied} option ticks after {limit.TotalSeconds:F0} s (waited for {ticks}){Describe()}");
    }

    /// <summary>Waits for <paramref name="feed"/> to end by itself, asserts it exited with 0, and returns its manifest.</summary>
    public async Task<IReadOnlyList<ManifestLine>> FinishFeedAsync(FeedProcess feed, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(120);
        if (!await feed.WaitForExitAsync(limit))
        {
            Assert.Fail($"{feed.Name} did not end within {limit.TotalSeconds:F0} s{Describe()}");
        }

        Assert.True(feed.ExitCode == 0, $"{feed.Name} exited with {feed.ExitCode}{Describe()}");
        var manifest = feed.ReadManifest();
        Log($"{feed.Name} ended: {manifest.Count} instruments, {manifest.Sum(l => l.Ticks)} ticks");
        return manifest;
    }

    /// <summary>
    /// Waits until every queue's consumer group has read the whole stream and has nothing pending (every entry
    /// delivered and acknowledged, so its snapshots are written), then a short settle for the last publishes.
    /// </summary>
    public async Task WaitUntilCaughtUpAsync(TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(90);
        var behind = "(not measured)";
        while (deadline.Elapsed < limit)
        {
            behind = await DescribeBacklogAsync();
            if (behind.Length == 0)
            {
                Log($"caught up ({deadline.Elapsed.TotalSeconds:F1} s after the wait began)");
                await Task.Delay(TimeSpan.FromSeconds(1));
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        Assert.Fail($"the cluster did not catch up within {limit.TotalSeconds:F0} s: {behind}{Describe()}");
    }

    /// <summary>The snapshot <c>ticks</c> of each of <paramref name="tokens"/> (0 when there is no snapshot).</summary>
    public async Task<Dictionary<uint, long>> ReadSnapshotTicksAsync(IEnumerable<uint> tokens)
    {
        var database = Redis.GetDatabase();
        var reads = tokens.Distinct().Select(t => (Token: t, Read: database.HashGetAsync(TickerKeys.Snapshot(t), "ticks"))).ToList();
        await Task.WhenAll(reads.Select(r => r.Read));
        return reads.ToDictionary(r => r.Token, r => r.Read.Result.IsNull ? 0 : (long)r.Read.Result);
    }

    /// <summary>
    /// Asserts that each instrument's snapshot <c>ticks</c> equals <paramref name="expected"/> (read again for a few
    /// seconds before failing, in case a last flush is on its way).
    /// </summary>
    public async Task AssertSnapshotTicksAsync(string what, IReadOnlyDictionary<uint, long> expected)
    {
        List<string> wrong = [];
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var actual = await ReadSnapshotTicksAsync(expected.Keys);
            wrong = [.. expected.Where(e => actual[e.Key] != e.Value).Select(e => $"token {e.Key} (queue {QueueOf(e.Key)}): expected {e.Value}, snapshot {actual[e.Key]}")];
            if (wrong.Count == 0)
            {
                Log($"{what}: all {expected.Count} snapshots match");
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        Assert.Fail($"{what}: {wrong.Count} of {expected.Count} snapshots differ, for example:\n  {string.Join("\n  ", wrong.Take(20))}\nconsumer groups: {await DescribeConsumersAsync()}{Describe()}");
    }

    /// <summary>Asserts that every manifest line's ticks equals its instrument's snapshot ticks.</summary>
    public Task AssertSnapshotsMatchAsync(IReadOnlyList<ManifestLine> manifest) =>
        AssertSnapshotTicksAsync("snapshots against the manifest", manifest.ToDictionary(l => l.Token, l => l.Ticks));

    /// <summary>Asserts that updates were published and none had fewer ticks than an earlier one of its instrument.</summary>
    public void AssertNoUpdateWentBackwards()
    {
        Assert.True(Updates.Messages > 0, $"no snapshot update was published on tick:updates:*{Describe()}");
        Assert.True(
            Updates.BackwardCount == 0,
            $"{Updates.BackwardCount} published updates went backwards (of {Updates.Messages} messages):\n  {string.Join("\n  ", Updates.Backwards)}{Describe()}");
        Log($"{Updates.Messages} update messages, none went backwards");
    }

    /// <summary>The queue an instrument's ticks go through (the feed's partitioning: a hash of the token, modulo the queue count).</summary>
    public int QueueOf(uint token) => _shards?.ShardOf(token) ?? -1;

    /// <summary>Whether ticks of <paramref name="token"/> go to every queue (the underlyings).</summary>
    public bool IsBroadcast(uint token) => _shards?.IsBroadcast(token) ?? false;

    /// <summary>The state of every process, the tail of its output, the last cluster view and Redis' log, for failure messages.</summary>
    public string Describe()
    {
        var text = new StringBuilder("\n\n===== processes =====\n");
        text.Append("last /api/cluster: ").AppendLine(_lastCluster?.ToString() ?? "(none)");
        foreach (var silo in _silos)
        {
            var state = silo.HasExited ? "exited" : silo.IsPaused ? "paused" : "running";
            text.Append("----- silo ").Append(silo.Name).Append(" (pid ").Append(silo.Pid).Append(", ").Append(state).AppendLine(") -----");
            text.AppendLine(Tail(silo.Output));
        }

        foreach (var feed in _feeds)
        {
            var state = feed.HasExited ? $"exited {feed.ExitCode}" : "running";
            text.Append("----- ").Append(feed.Name).Append(" (").Append(state).AppendLine(") -----");
            text.AppendLine(Tail(feed.Output));
        }

        text.AppendLine("----- redis-server -----").AppendLine(Tail(Server.Log));
        return text.ToString();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var feed in _feeds)
        {
            await feed.DisposeAsync();
        }

        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        await Updates.DisposeAsync();
        await Redis.DisposeAsync();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Tail(string output) =>
        output.Length <= OutputTail ? output : "… " + output[^OutputTail..];

    // The first silo records the queue count in Redis; the feed partitions with the same ShardMap over it.
    private async Task LearnQueueCountAsync()
    {
        if (_shards is null && await Redis.GetDatabase().StringGetAsync(TickerKeys.ClusterQueueCount) is { IsNull: false } count)
        {
            _shards = new ShardMap(InstrumentMaster.LoadOrSynthetic(null, TimeProvider.System), (int)count);
        }
    }

    // Each queue's group as Redis has it: pending, lag and every consumer (the silo address it reads as), for failures.
    private async Task<string> DescribeConsumersAsync()
    {
        var database = Redis.GetDatabase();
        var text = new StringBuilder();
        var queues = _shards?.ShardCount ?? (int)await database.StringGetAsync(TickerKeys.ClusterQueueCount);
        for (var queue = 0; queue < queues; queue++)
        {
            var key = TickerKeys.InputStream(queue);
            text.Append("\n  ").Append(key).Append(": ");
            try
            {
                var group = (await database.StreamGroupInfoAsync(key)).FirstOrDefault(g => g.Name == TickerKeys.ConsumerGroup);
                text.Append(CultureInfo.InvariantCulture, $"pending {group.PendingMessageCount}, lag {group.Lag?.ToString(CultureInfo.InvariantCulture) ?? "?"}, delivered {group.LastDeliveredId}; consumers ");
                foreach (var consumer in await database.StreamConsumerInfoAsync(key, TickerKeys.ConsumerGroup))
                {
                    text.Append(CultureInfo.InvariantCulture, $"[{consumer.Name} pending {consumer.PendingMessageCount} idle {consumer.IdleTimeInMilliseconds} ms] ");
                }
            }
            catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
            {
                text.Append(ex.Message);
            }
        }

        return text.ToString();
    }

    // Empty when every queue's group delivered the stream's last entry and has nothing pending; otherwise what is behind.
    private async Task<string> DescribeBacklogAsync()
    {
        var database = Redis.GetDatabase();
        var behind = new StringBuilder();
        for (var queue = 0; queue < (_shards?.ShardCount ?? 0); queue++)
        {
            var key = TickerKeys.InputStream(queue);
            try
            {
                if (!await database.KeyExistsAsync(key))
                {
                    continue;
                }

                var stream = await database.StreamInfoAsync(key);
                var group = (await database.StreamGroupInfoAsync(key)).FirstOrDefault(g => g.Name == TickerKeys.ConsumerGroup);
                if (group.Name is null)
                {
                    behind.Append(CultureInfo.InvariantCulture, $"{key}: no group; ");
                }
                else if (group.PendingMessageCount > 0 || group.LastDeliveredId != (string?)stream.LastGeneratedId)
                {
                    behind.Append(CultureInfo.InvariantCulture, $"{key}: pending {group.PendingMessageCount}, lag {group.Lag?.ToString(CultureInfo.InvariantCulture) ?? "?"}, delivered {group.LastDeliveredId} of {stream.LastGeneratedId}; ");
                }
            }
            catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
            {
                behind.Append(CultureInfo.InvariantCulture, $"{key}: {ex.Message}; ");
            }
        }

        return behind.ToString();
    }
}
