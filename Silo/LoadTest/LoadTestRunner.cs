using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Ticker.Silo.LoadTest;

/// <summary>
/// Runs the load-test scenarios against Redis (a redis-server started for the run unless one is given), writes the
/// report and compares with a baseline. Exit codes: 0 ok, 1 a tick was lost or a run failed, 2 bad arguments,
/// 3 a regression against the baseline.
/// </summary>
internal static class LoadTestRunner
{
    /// <summary>Exit code of a regression against the baseline.</summary>
    public const int Regressed = 3;

    /// <summary>Runs and returns the exit code; <paramref name="results"/> receives the rows.</summary>
    public static async Task<int> RunAsync(LoadTestOptions options, TextWriter stdout, TextWriter stderr, List<ScenarioResult> results, CancellationToken cancellationToken)
    {
        var names = options.Scenario is null or "all" ? LoadTestScenarios.Names : [options.Scenario];
        if (Array.Exists(names, n => Array.IndexOf(LoadTestScenarios.Names, n) < 0))
        {
            await stderr.WriteLineAsync($"loadtest: unknown scenario '{options.Scenario}' (one of {string.Join(", ", LoadTestScenarios.Names)}, all)").ConfigureAwait(false);
            return 2;
        }

        if (!File.Exists(options.TickerDll))
        {
            await stderr.WriteLineAsync($"loadtest: {options.TickerDll} not found").ConfigureAwait(false);
            return 1;
        }

        var work = Path.Combine(Path.GetTempPath(), "ticker-loadtest-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        ChildProcess? server = null;
        try
        {
            var redis = options.Redis;
            int? redisPid = null;
            if (redis is null)
            {
                (server, redis) = await StartRedisAsync(work, cancellationToken).ConfigureAwait(false);
                if (server is null)
                {
                    await stderr.WriteLineAsync("loadtest: redis-server was not found on PATH (install it, or pass --redis CONN)").ConfigureAwait(false);
                    return 1;
                }

                redisPid = server.Id;
            }

            await stderr.WriteLineAsync($"loadtest: {options.Mode.ToString().ToLowerInvariant()} mode, Redis {redis}, report in {options.OutputDirectory}").ConfigureAwait(false);
            // The run's one multiplexer: cleanup, accounting and the latency subscriber share it.
            await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(redis).ConfigureAwait(false);
            var runner = new PhaseRunner(redis, multiplexer, options.TickerDll, redisPid, work, stderr);
            foreach (var name in names)
            {
                var rows = new List<ScenarioResult>();
                foreach (var phase in LoadTestScenarios.Phases(name, options.Mode))
                {
                    rows.Add(await runner.RunAsync(phase, cancellationToken).ConfigureAwait(false));
                }

                Derive(name, rows);
                results.AddRange(rows);
            }

            await PhaseRunner.DeleteTickKeysAsync(multiplexer).ConfigureAwait(false);

            LoadTestReport.Write(options.OutputDirectory, results, options.Mode);
            await stdout.WriteLineAsync(File.ReadAllText(Path.Combine(options.OutputDirectory, "summary.md"))).ConfigureAwait(false);
            var exit = 0;
            foreach (var r in results)
            {
                if (!r.Lossless)
                {
                    await stderr.WriteLineAsync($"loadtest: {r.Scenario} LOST TICKS: offered {r.TicksOffered}, accounted {r.TicksAccounted}").ConfigureAwait(false);
                    exit = 1;
                }
            }

            if (options.Baseline is { } baselinePath)
            {
                var failures = BaselineComparison.Compare(results, File.ReadAllText(baselinePath));
                await stdout.WriteLineAsync($"baseline {baselinePath}: tolerance: {BaselineComparison.Tolerance}").ConfigureAwait(false);
                foreach (var failure in failures)
                {
                    await stdout.WriteLineAsync("REGRESSION " + failure).ConfigureAwait(false);
                }

                await stdout.WriteLineAsync(failures.Count == 0 ? "baseline: no regression" : $"baseline: {failures.Count} regression(s)").ConfigureAwait(false);
                if (failures.Count > 0 && exit == 0)
                {
                    exit = Regressed;
                }
            }

            return exit;
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or RedisException or IOException or ArgumentException)
        {
            await stderr.WriteLineAsync($"loadtest: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        finally
        {
            if (server is not null)
            {
                await server.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                await server.DisposeAsync().ConfigureAwait(false);
            }

            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Scenario-specific figures computed from the phases.</summary>
    private static void Derive(string name, List<ScenarioResult> rows)
    {
        switch (name)
        {
            case "sustained":
                {
                    var r = rows[0];
                    var n = Math.Max(1, r.Samples.Count / 10);
                    if (r.Samples.Count >= 2)
                    {
                        var firstRss = r.Samples.Take(n).Average(static s => s.RssMb);
                        var lastRss = r.Samples.TakeLast(n).Average(static s => s.RssMb);
                        r.Extra["rss_first_mb"] = firstRss;
                        r.Extra["rss_last_mb"] = lastRss;
                        r.Extra["rss_drift_pct"] = firstRss > 0 ? (lastRss - firstRss) / firstRss * 100 : 0;
                        r.Extra["p99_drift_ms"] = r.Samples.TakeLast(n).Average(static s => s.P99Ms) - r.Samples.Take(n).Average(static s => s.P99Ms);
                    }

                    break;
                }

            // The comparisons need every phase of the scenario (quick mode runs one).
            case "greeks" when rows.Count == 2:
                rows[0].Extra["greeks_ns_per_tick"] = rows[0].Extra["silo_cpu_ns_per_tick"] - rows[1].Extra["silo_cpu_ns_per_tick"];
                break;
            case "batching" when rows.Count == 3:
                rows[1].Extra["ratio_on_vs_off"] = rows[0].TicksPerSecond > 0 ? rows[1].TicksPerSecond / rows[0].TicksPerSecond : 0;
                rows[2].Extra["ratio_conflate_vs_off"] = rows[0].TicksPerSecond > 0 ? rows[2].TicksPerSecond / rows[0].TicksPerSecond : 0;
                break;
            case "burst":
                rows[0].Extra["time_to_drain_s"] = rows[0].DrainSeconds;
                break;
        }
    }

    private static async Task<(ChildProcess? Server, string Connection)> StartRedisAsync(string work, CancellationToken cancellationToken)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(static d => Path.Combine(d, "redis-server")).FirstOrDefault(File.Exists);
        if (path is null)
        {
            return (null, "");
        }

        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var p = port.ToString(CultureInfo.InvariantCulture);
        var server = ChildProcess.Start(path, ["--port", p, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", work]);
        var connection = "127.0.0.1:" + p;
        var deadline = Stopwatch.GetTimestamp() + (10 * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
                return (server, connection);
            }
            catch (SocketException)
            {
                if (server.HasExited)
                {
                    throw new InvalidOperationException($"redis-server exited:\n{server.Output}");
                }

                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new TimeoutException($"redis-server did not listen on {port}:\n{server.Output}");
    }
}
