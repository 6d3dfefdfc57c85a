using System.Diagnostics;
using StackExchange.Redis;
using Ticker.Protocol.Redis;
using Xunit.Abstractions;

namespace Ticker.Tests.Silo.Cluster;

/// <summary>
/// Silo processes on one real redis-server with a feed process writing throughout, under faults: a silo killed,
/// paused past failure detection, joining and leaving; Redis killed; a queue stream deleted and garbage in another.
/// Correctness is asserted (every snapshot equals the feed's manifest, no published update goes backwards); timings
/// are only printed.
/// </summary>
public sealed class ClusterIntegrationTests(ITestOutputHelper output)
{
    private const int Instruments = 500;
    private const int Rate = 8_000;

    [Fact]
    public async Task A_killed_silo_is_taken_over_and_no_tick_is_lost_or_goes_backwards()
    {
        await using var cluster = await RedisClusterHarness.StartAsync(output);
        cluster.StartSilo("a");
        var b = cluster.StartSilo("b");
        await cluster.WaitForSpreadAsync("a", "b");

        // c joins a running pair: three silos started at once is its own test.
        cluster.StartSilo("c");
        await cluster.WaitForSpreadAsync("a", "b", "c");
        var feed = cluster.StartFeed("feed", Instruments, Rate, ticks: 120_000);
        await cluster.WaitForOptionTicksAsync(20_000);

        var orphaned = (await cluster.WaitForSpreadAsync("a", "b", "c")).QueuesOf("b").ToHashSet();
        var watched = (await cluster.SnapshotTokensAsync()).Where(t => orphaned.Contains(cluster.QueueOf(t)) && !cluster.IsBroadcast(t)).ToList();
        b.Kill();
        var killed = Stopwatch.StartNew();
        cluster.Log($"killed silo b, which owned queues [{string.Join(',', orphaned)}] ({watched.Count} instruments with snapshots)");

        // Writes b had on the wire before it died land first, so they are not taken for the survivors' work.
        await Task.Delay(200);
        var baseline = await cluster.ReadSnapshotTicksAsync(watched);
        TimeSpan? takeover = null;
        TimeSpan? firstApplied = null;
        while ((takeover is null || firstApplied is null) && killed.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (takeover is null && await cluster.TryGetClusterAsync() is { } state && state.IsSpreadOver(["a", "c"]))
            {
                takeover = killed.Elapsed;
                cluster.Log($"takeover: {state}");
            }

            if (firstApplied is null && (await cluster.ReadSnapshotTicksAsync(watched)).Any(s => s.Value > baseline[s.Key]))
            {
                firstApplied = killed.Elapsed;
            }

            await Task.Delay(100);
        }

        cluster.Log($"TAKEOVER: kill -> b's queues owned by a and c per /api/cluster: {Seconds(takeover)}; kill -> first tick of b's queues applied: {Seconds(firstApplied)}");
        var manifest = await cluster.FinishFeedAsync(feed);
        await cluster.WaitForSpreadAsync("a", "c");
        await cluster.WaitUntilCaughtUpAsync();

        await cluster.AssertSnapshotsMatchAsync(manifest);
        cluster.AssertNoUpdateWentBackwards();
    }

    [Fact]
    public async Task Three_silos_started_together_own_every_queue_and_apply_every_tick()
    {
        await using var cluster = await RedisClusterHarness.StartAsync(output);
        cluster.StartSilo("a");
        cluster.StartSilo("b");
        cluster.StartSilo("c");
        var started = Stopwatch.StartNew();
        var state = await cluster.WaitForSpreadAsync("a", "b", "c");
        cluster.Log($"START: three silos own every queue {started.Elapsed.TotalSeconds:F1} s after they were started: {state}");
        var manifest = await cluster.FinishFeedAsync(cluster.StartFeed("feed", Instruments, Rate, ticks: 30_000));
        await cluster.WaitUntilCaughtUpAsync();

        await cluster.AssertSnapshotsMatchAsync(manifest);
    }

    [Fact]
    public async Task Two_silos_each_apply_a_fair_share_of_the_option_ticks()
    {
        await using var cluster = await RedisClusterHarness.StartAsync(output);
        var a = cluster.StartSilo("a");
        var b = cluster.StartSilo("b");
        await cluster.WaitForSpreadAsync("a", "b");
        var manifest = await cluster.FinishFeedAsync(cluster.StartFeed("feed", Instruments, Rate, ticks: 60_000));
        await cluster.WaitUntilCaughtUpAsync();

        await cluster.AssertSnapshotsMatchAsync(manifest);
        var appliedByA = await a.GetOptionTicksAppliedAsync();
        var appliedByB = await b.GetOptionTicksAppliedAsync();
        var total = appliedByA + appliedByB;
        var shareOfA = (double)appliedByA / total;
        cluster.Log($"FAIR SHARE: a applied {appliedByA} option ticks ({shareOfA:P1}), b {appliedByB} ({1 - shareOfA:P1}), {total} in all");
        Assert.True(total > 0, $"no option ticks were applied{cluster.Describe()}");
        Assert.InRange(shareOfA, 0.3, 0.7);
    }

    [Fact]
    public async Task A_silo_paused_past_failure_detection_then_resumed_loses_nothing_and_publishes_nothing_stale()
    {
        await using var cluster = await RedisClusterHarness.StartAsync(output);
        cluster.StartSilo("a");
        var b = cluster.StartSilo("b");
        cluster.StartSilo("c");
        await cluster.WaitForSpreadAsync("a", "b", "c");
        var feed = cluster.StartFeed("feed", Instruments, Rate, ticks: 160_000);
        await cluster.WaitForOptionTicksAsync(20_000);

        await b.PauseAsync();
        var paused = Stopwatch.StartNew();
        cluster.Log("paused silo b (SIGSTOP)");
        await cluster.WaitForSpreadAsync("a", "c");
        cluster.Log($"PAUSE: b declared dead and its queues taken over {paused.Elapsed.TotalSeconds:F1} s after SIGSTOP");

        // Past failure detection and takeover, while the feed still writes: b wakes up holding work of queues it lost.
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(2, 10 - paused.Elapsed.TotalSeconds)));
        await b.ResumeAsync();
        cluster.Log($"resumed silo b (SIGCONT) after {paused.Elapsed.TotalSeconds:F1} s; feed still running: {!feed.HasExited}");

        var manifest = await cluster.FinishFeedAsync(feed);
        await cluster.WaitForSpreadAsync("a", "c");
        await cluster.WaitUntilCaughtUpAsync();
        cluster.Log($"silo b after resuming: {(b.HasExited ? "exited" : "still running")}");

        await cluster.AssertSnapshotsMatchAsync(manifest);
        cluster.AssertNoUpdateWentBackwards();
    }

    [Fact]
    public async Task Redis_killed_and_restarted_with_an_append_only_file_loses_no_tick()
    {
        await using var cluster = await RedisClusterHarness.StartAsync(output, appendOnly: true);
        cluster.StartSilo("a");
        cluster.StartSilo("b");
        await cluster.WaitForSpreadAsync("a", "b");
        var feed = cluster.StartFeed("feed", Instruments, Rate, ticks: 100_000);
        await cluster.WaitForOptionTicksAsync(20_000);

        cluster.Server.Kill();
        var down = Stopwatch.StartNew();
        cluster.Log("killed redis-server (SIGKILL)");
        await Task.Delay(TimeSpan.FromSeconds(2));
        await cluster.Server.StartAsync();
        cluster.Log($"redis-server answers again after {down.Elapsed.TotalSeconds:F1} s (AOF replayed)");

        var manifest = await cluster.FinishFeedAsync(feed);
        await cluster.WaitForSpreadAsync("a", "b");
        await cluster.WaitUntilCaughtUpAsync();
        cluster.Log($"REDIS RESTART: recovered and caught up {down.Elapsed.TotalSeconds:F1} s after the kill");

        await cluster.AssertSnapshotsMatchAsync(manifest);
        cluster.AssertNoUpdateWentBackwards();
    }

    [Fact]
    public async Task A_deleted_queue_stream_and_garbage_entries_do_not_stop_the_pipeline()
    {
        const int DeletedQueue = 3;
        await using var cluster = await RedisClusterHarness.StartAsync(output);
        cluster.StartSilo("a");
        cluster.StartSilo("b");
        await cluster.WaitForSpreadAsync("a", "b");
        var feed = cluster.StartFeed("feed-1", Instruments, Rate, ticks: 120_000);
        await cluster.WaitForOptionTicksAsync(20_000);

        var database = cluster.Redis.GetDatabase();
        Assert.True(await database.KeyDeleteAsync(TickerKeys.InputStream(DeletedQueue)), $"tick:in:{DeletedQueue} did not exist{cluster.Describe()}");
        var atDeletion = await cluster.ReadSnapshotTicksAsync(await cluster.SnapshotTokensAsync());
        cluster.Log($"deleted tick:in:{DeletedQueue}");
        var garbage = new Dictionary<string, string>
        {
            [(string)(await database.StreamAddAsync(TickerKeys.InputStream(0), [new("n", "ticks"), new("s", "0")]))!] = "MissingField",
            [(string)(await database.StreamAddAsync(TickerKeys.InputStream(0), [new("n", "ticks"), new("s", "0"), new("z", "-1"), new("k", "12345678")]))!] = "BadPayloadSize",
            [(string)(await database.StreamAddAsync(TickerKeys.InputStream(0), [new("n", "ticks"), new("s", "0"), new("z", "1"), new("k", "x")]))!] = "TickSizeMismatch",
        };
        cluster.Log($"added {garbage.Count} garbage entries to tick:in:0");

        var first = await cluster.FinishFeedAsync(feed);
        await cluster.WaitUntilCaughtUpAsync();

        // Outside the deleted queue nothing is lost; in it, every instrument still advanced after the deletion.
        var kept = first.Where(l => cluster.QueueOf(l.Token) != DeletedQueue && !cluster.IsBroadcast(l.Token)).ToList();
        await cluster.AssertSnapshotsMatchAsync(kept);
        var hit = first.Where(l => cluster.QueueOf(l.Token) == DeletedQueue && !cluster.IsBroadcast(l.Token)).Select(l => l.Token).ToList();
        var afterFirst = await cluster.ReadSnapshotTicksAsync(hit);
        var stuck = hit.Where(t => afterFirst[t] <= atDeletion.GetValueOrDefault(t)).ToList();
        cluster.Log($"queue {DeletedQueue}: {hit.Count - stuck.Count} of {hit.Count} instruments advanced after the deletion");
        Assert.True(stuck.Count == 0, $"{stuck.Count} instruments of queue {DeletedQueue} did not advance after the deletion: {string.Join(", ", stuck.Take(20).Select(t => $"{t} at {afterFirst[t]}"))}{cluster.Describe()}");

        var deadLetters = await database.StreamRangeAsync(TickerKeys.DeadLetter);
        var reasons = deadLetters.Where(e => e["stream"] == TickerKeys.InputStream(0)).ToDictionary(e => (string)e["id"]!, e => (string?)e["reason"]);
        cluster.Log($"tick:deadletter: {string.Join(", ", reasons.Select(r => $"{r.Key}={r.Value}"))}");
        foreach (var (id, reason) in garbage)
        {
            Assert.True(reasons.TryGetValue(id, out var actual) && actual == reason, $"garbage entry {id} should be in tick:deadletter with reason {reason}, found {actual ?? "nothing"}{cluster.Describe()}");
        }

        // A second run through every queue, the recreated one included: each instrument advances by exactly what it wrote.
        var before = await cluster.ReadSnapshotTicksAsync(first.Select(l => l.Token));
        var second = await cluster.FinishFeedAsync(cluster.StartFeed("feed-2", Instruments, Rate, ticks: 40_000));
        await cluster.WaitUntilCaughtUpAsync();
        await cluster.AssertSnapshotTicksAsync(
            "snapshots against the second run's manifest",
            second.ToDictionary(l => l.Token, l => before.GetValueOrDefault(l.Token) + l.Ticks));
        cluster.AssertNoUpdateWentBackwards();
    }

    [Fact]
    public async Task A_joining_silo_gets_its_share_and_a_leaving_silo_hands_its_queues_over_without_loss()
    {
        await using var cluster = await RedisClusterHarness.StartAsync(output);
        cluster.StartSilo("a");
        var b = cluster.StartSilo("b");
        await cluster.WaitForSpreadAsync("a", "b");
        // Long enough to outlast the join (tens of seconds on a loaded machine) and the leave.
        var feed = cluster.StartFeed("feed", Instruments, Rate, ticks: 480_000);
        await cluster.WaitForOptionTicksAsync(10_000);

        cluster.StartSilo("c");
        var joined = Stopwatch.StartNew();
        var three = await cluster.WaitForClusterAsync("a, b and c own 2 or 3 queues each", s => s.IsSpreadOver(["a", "b", "c"], min: 2, max: 3));
        cluster.Log($"JOIN: rebalanced {joined.Elapsed.TotalSeconds:F1} s after starting c: {three}");

        var leaving = Stopwatch.StartNew();
        await b.StopAsync(TimeSpan.FromSeconds(30));
        cluster.Log($"b stopped gracefully in {leaving.Elapsed.TotalSeconds:F1} s (exit {(b.HasExited ? "yes" : "no")}); feed still running: {!feed.HasExited}");
        var two = await cluster.WaitForClusterAsync("a and c own all queues", s => s.IsSpreadOver(["a", "c"]) && s.QueuesOf("a").Count + s.QueuesOf("c").Count == s.QueueOwners.Count);
        cluster.Log($"LEAVE: a and c own every queue {leaving.Elapsed.TotalSeconds:F1} s after SIGTERM to b: {two}");

        var manifest = await cluster.FinishFeedAsync(feed);
        await cluster.WaitUntilCaughtUpAsync();
        await cluster.AssertSnapshotsMatchAsync(manifest);
        cluster.AssertNoUpdateWentBackwards();
    }

    private static string Seconds(TimeSpan? elapsed) => elapsed is { } e ? $"{e.TotalSeconds:F1} s" : "not seen within 60 s";
}
