using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using StackExchange.Redis;
using Ticker.Protocol.Redis;

namespace Ticker.Silo.LoadTest;

/// <summary>
/// Runs one <see cref="LoadTestPhase"/>: clean <c>tick:*</c>, start a silo process (2 shards) and wait until it owns
/// both shards, subscribe, run the feed process, sample every second, wait for the backlog to drain, account.
/// </summary>
internal sealed class PhaseRunner
{
    /// <summary>The batch size limit of silos run with <c>--conflate</c> (distinct instruments per batch).</summary>
    public const int ConflatedBatchSize = 10_000;

    /// <summary>Stream queues of every run: the default on Redis, so each of the silo's partition consumers has a delivery in flight while others wait for their flush.</summary>
    public const int Shards = 8;

    private static readonly string ShardsText = Shards.ToString(CultureInfo.InvariantCulture);

    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _redis;
    private readonly IConnectionMultiplexer _multiplexer;
    private readonly string _tickerDll;
    private readonly int? _redisPid;
    private readonly string _workDirectory;
    private readonly TextWriter _log;

    /// <summary>Creates a runner against <paramref name="redis"/>.</summary>
    /// <param name="redis">The connection string the silo and feed processes get.</param>
    /// <param name="multiplexer">This process's connection to the same Redis.</param>
    /// <param name="tickerDll">The program the child processes run.</param>
    /// <param name="redisPid">The redis-server's process id, when known (its CPU is measured).</param>
    /// <param name="workDirectory">Where manifests go.</param>
    /// <param name="log">Progress lines.</param>
    public PhaseRunner(string redis, IConnectionMultiplexer multiplexer, string tickerDll, int? redisPid, string workDirectory, TextWriter log)
    {
        _redis = redis;
        _multiplexer = multiplexer;
        _tickerDll = tickerDll;
        _redisPid = redisPid;
        _workDirectory = workDirectory;
        _log = log;
    }

    /// <summary>Runs the phase and returns its figures.</summary>
    public async Task<ScenarioResult> RunAsync(LoadTestPhase phase, CancellationToken cancellationToken)
    {
        var result = new ScenarioResult { Scenario = phase.Name };
        result.Notes["silo_flags"] = phase.SiloFlags.Length == 0 ? "(batching on, no conflation)" : string.Join(' ', phase.SiloFlags);
        result.Notes["greeks"] = phase.Greeks ? "on" : "off";
        result.Extra["instruments"] = phase.Instruments;
        result.Extra["offered_rate"] = phase.Rate;
        result.Extra["feed_seconds"] = phase.Seconds;

        var redis = _multiplexer.GetDatabase();
        await DeleteTickKeysAsync(_multiplexer).ConfigureAwait(false);

        var port = FreePort();
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
        string[] siloArgs = [_tickerDll, "silo", "--redis", _redis, "--silo-id", "loadtest", "--shards", ShardsText, "--http", url, .. phase.SiloFlags];
        var environment = new Dictionary<string, string> { ["TICKER_Greeks__Enabled"] = phase.Greeks ? "true" : "false" };
        if (phase.SiloFlags.Contains("--conflate"))
        {
            // A conflated batch holds one slot per instrument: let it hold every instrument of the scenario, or a
            // size flush every 1,000 distinct instruments would undo the conflation at 5,000 instruments.
            environment["TICKER_Batching__MaxBatchSize"] = ConflatedBatchSize.ToString(CultureInfo.InvariantCulture);
        }

        await using var silo = ChildProcess.Start("dotnet", siloArgs, environment);
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(5) };
        await WaitForSiloAsync(silo, http, cancellationToken).ConfigureAwait(false);

        await using var subscriber = await LatencySubscriber.StartAsync(_multiplexer).ConfigureAwait(false);
        var manifest = Path.Combine(_workDirectory, phase.Name + ".manifest.jsonl");
        string[] feedArgs =
        [
            _tickerDll, "feed", "--redis", _redis, "--synthetic", "--instruments", phase.Instruments.ToString(CultureInfo.InvariantCulture),
            "--rate", phase.Rate.ToString(CultureInfo.InvariantCulture), "--duration", phase.Seconds.ToString(CultureInfo.InvariantCulture),
            "--manifest", manifest, "--shards", ShardsText,
            .. phase.Ticks is { } limit ? (string[])["--ticks", limit.ToString(CultureInfo.InvariantCulture)] : [],
        ];

        var siloCpu0 = ProcStat.CpuSeconds(silo.Id) ?? 0;
        var redisCpu0 = _redisPid is { } rp ? ProcStat.CpuSeconds(rp) ?? 0 : 0;
        var started = Stopwatch.GetTimestamp();
        await using var feed = ChildProcess.Start("dotnet", feedArgs);
        double feedCpu = 0;
        var feedExit = feed.WaitForExitAsync(cancellationToken);
        var nextSample = 1.0;
        while (!feedExit.IsCompleted)
        {
            await Task.WhenAny(feedExit, Task.Delay(100, cancellationToken)).ConfigureAwait(false);
            feedCpu = ProcStat.CpuSeconds(feed.Id) ?? feedCpu;
            if (Stopwatch.GetElapsedTime(started).TotalSeconds >= nextSample)
            {
                await SampleAsync(result, silo, http, subscriber, started).ConfigureAwait(false);
                nextSample += 1;
            }
        }

        await feedExit.ConfigureAwait(false);
        var feedDone = Stopwatch.GetTimestamp();
        if (feed.ExitCode != 0)
        {
            throw new InvalidOperationException($"{phase.Name}: the feed exited with {feed.ExitCode}:\n{feed.Output}");
        }

        // Drain: every shard's group backlog 0, then the hashes carry every tick (or the timeout says otherwise).
        var offered = ReadManifest(manifest);
        result.TicksOffered = offered.Sum(static m => m.Ticks);
        var deadline = Stopwatch.GetTimestamp() + (long)(DrainTimeout.TotalSeconds * Stopwatch.Frequency);
        while (await BacklogAsync(redis).ConfigureAwait(false) > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            if (Stopwatch.GetElapsedTime(started).TotalSeconds >= nextSample)
            {
                await SampleAsync(result, silo, http, subscriber, started).ConfigureAwait(false);
                nextSample += 1;
            }
        }

        result.DrainSeconds = Stopwatch.GetElapsedTime(feedDone).TotalSeconds;
        while (true)
        {
            result.TicksAccounted = await AccountAsync(redis, offered).ConfigureAwait(false);
            if (result.TicksAccounted >= result.TicksOffered || Stopwatch.GetTimestamp() >= deadline)
            {
                break;
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        var drained = Stopwatch.GetTimestamp();
        await SampleAsync(result, silo, http, subscriber, started).ConfigureAwait(false);
        var siloCpu = (ProcStat.CpuSeconds(silo.Id) ?? 0) - siloCpu0;
        var redisCpu = _redisPid is { } rp2 ? (ProcStat.CpuSeconds(rp2) ?? 0) - redisCpu0 : double.NaN;

        var first = subscriber.FirstUpdateTimestamp is > 0 and var f && f > started ? f : started;
        var window = Stopwatch.GetElapsedTime(first, drained).TotalSeconds;
        result.TicksPerSecond = window > 0 ? result.TicksAccounted / window : 0;
        var (p50, p95, p99, max) = subscriber.Totals();
        (result.P50Ms, result.P95Ms, result.P99Ms, result.MaxMs) = (p50, p95, p99, max);
        result.PeakRssMb = result.Samples.Count == 0 ? ProcStat.RssMb(silo.Id) : result.Samples.Max(static s => s.RssMb);
        var elapsed = Stopwatch.GetElapsedTime(started, drained).TotalSeconds;
        result.Extra["elapsed_s"] = elapsed;
        result.Extra["updates_seen"] = subscriber.Updates;
        result.Extra["silo_cpu_s"] = siloCpu;
        result.Extra["silo_cpu_cores"] = siloCpu / elapsed;
        result.Extra["feed_cpu_s"] = feedCpu;
        result.Extra["feed_cpu_cores"] = feedCpu / elapsed;
        if (!double.IsNaN(redisCpu))
        {
            result.Extra["redis_cpu_s"] = redisCpu;
            result.Extra["redis_cpu_cores"] = redisCpu / elapsed;
        }

        result.Extra["silo_cpu_ns_per_tick"] = result.TicksAccounted > 0 ? siloCpu * 1e9 / result.TicksAccounted : 0;
        result.Extra["rss_kb_per_instrument"] = result.PeakRssMb * 1024 / phase.Instruments;
        result.Notes["bottleneck"] = Bottleneck(result);

        await silo.StopAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        await _log.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"loadtest: {phase.Name}: offered={result.TicksOffered} accounted={result.TicksAccounted} ticks/s={result.TicksPerSecond:F0} p50={result.P50Ms:F2}ms p99={result.P99Ms:F2}ms max={result.MaxMs:F2}ms rss={result.PeakRssMb:F0}MB drain={result.DrainSeconds:F2}s cpu silo={result.Extra["silo_cpu_cores"]:F2} feed={result.Extra["feed_cpu_cores"]:F2} redis={(double.IsNaN(redisCpu) ? "?" : (redisCpu / elapsed).ToString("F2", CultureInfo.InvariantCulture))}")).ConfigureAwait(false);
        return result;
    }

    /// <summary>Deletes every <c>tick:*</c> key (SCAN + DEL on each server); never anything else.</summary>
    /// <param name="redis">The connection.</param>
    /// <returns>Completes when deleted.</returns>
    public static async Task DeleteTickKeysAsync(IConnectionMultiplexer redis)
    {
        var db = redis.GetDatabase();
        var keys = new List<RedisKey>(1000);
        foreach (var endpoint in redis.GetEndPoints())
        {
            await foreach (var key in redis.GetServer(endpoint).KeysAsync(pattern: "tick:*", pageSize: 1000).ConfigureAwait(false))
            {
                keys.Add(key);
                if (keys.Count == 1000)
                {
                    await db.KeyDeleteAsync([.. keys]).ConfigureAwait(false);
                    keys.Clear();
                }
            }
        }

        if (keys.Count > 0)
        {
            await db.KeyDeleteAsync([.. keys]).ConfigureAwait(false);
        }
    }

    private static string Bottleneck(ScenarioResult r)
    {
        var silo = r.Extra["silo_cpu_cores"];
        var feed = r.Extra["feed_cpu_cores"];
        var redis = r.Extra.TryGetValue("redis_cpu_cores", out var c) ? c : 0;
        if (r.Extra["offered_rate"] > 0 && r.TicksPerSecond >= r.Extra["offered_rate"] * 0.9 && silo < 0.9 && redis < 0.9)
        {
            return "none (paced: the offered rate is met)";
        }

        var (name, value) = silo >= feed && silo >= redis ? ("silo CPU", silo) : redis >= feed ? ("Redis CPU", redis) : ("feed CPU", feed);
        return string.Create(CultureInfo.InvariantCulture, $"{name} ({value:F2} cores; silo {silo:F2}, redis {redis:F2}, feed {feed:F2} on 2 shared cores)");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForSiloAsync(ChildProcess silo, HttpClient http, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(StartTimeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (silo.HasExited)
            {
                throw new InvalidOperationException($"the silo exited with {silo.ExitCode}:\n{silo.Output}");
            }

            try
            {
                using var health = await http.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken).ConfigureAwait(false);
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    using var cluster = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/cluster", UriKind.Relative), cancellationToken).ConfigureAwait(false));
                    var owned = 0;
                    foreach (var queue in cluster.RootElement.GetProperty("queues").EnumerateArray())
                    {
                        if (queue.TryGetProperty("owner", out var owner) && owner.ValueKind == JsonValueKind.String)
                        {
                            owned++;
                        }
                    }

                    if (owned == Shards)
                    {
                        return;
                    }
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException($"the silo did not own both shards within {StartTimeout.TotalSeconds} s:\n{silo.Output}");
    }

    private static async Task SampleAsync(ScenarioResult result, ChildProcess silo, HttpClient http, LatencySubscriber subscriber, long started)
    {
        double ticksPerSecond = 0;
        try
        {
            using var status = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/status", UriKind.Relative)).ConfigureAwait(false));
            var samples = status.RootElement.GetProperty("samples");
            var count = samples.GetArrayLength();
            if (count > 0)
            {
                ticksPerSecond = samples[count - 1].GetProperty("ticks_per_s").GetDouble();
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
        }

        var (p50, p99, max) = subscriber.TakeWindow();
        result.Samples.Add(new LoadTestSample(Stopwatch.GetElapsedTime(started).TotalSeconds, ticksPerSecond, p50, p99, max, ProcStat.RssMb(silo.Id)));
    }

    private static async Task<long> BacklogAsync(IDatabaseAsync redis)
    {
        long backlog = 0;
        for (var shard = 0; shard < Shards; shard++)
        {
            backlog += (await TickStreamBacklog.ReadAsync(redis, TickerKeys.InputStream(shard)).ConfigureAwait(false)).Backlog;
        }

        return backlog;
    }

    private static async Task<long> AccountAsync(IDatabaseAsync redis, List<(uint Token, long Ticks)> offered)
    {
        long total = 0;
        const int Window = 500;
        var pending = new Task<RedisValue>[Window];
        for (var start = 0; start < offered.Count; start += Window)
        {
            var n = Math.Min(Window, offered.Count - start);
            for (var i = 0; i < n; i++)
            {
                pending[i] = redis.HashGetAsync(TickerKeys.Snapshot(offered[start + i].Token), "ticks");
            }

            for (var i = 0; i < n; i++)
            {
                var reply = await pending[i].ConfigureAwait(false);
                total += reply.IsNull ? 0 : (long)reply;
            }
        }

        return total;
    }

    private static List<(uint Token, long Ticks)> ReadManifest(string path)
    {
        var list = new List<(uint, long)>();
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            list.Add((doc.RootElement.GetProperty("instrument_token").GetUInt32(), doc.RootElement.GetProperty("ticks").GetInt64()));
        }

        return list;
    }
}
