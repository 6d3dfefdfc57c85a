using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Ticker.Protocol.Resp;

namespace Ticker.Silo.Commands;

/// <summary>
/// The hidden <c>redis-bench</c> subcommand: our RESP client's pipelined SET rate, measured the way
/// <c>redis-benchmark -P 64 -t set -q</c> measures the server's (key <c>key:__rand_int__</c>, 3-byte value), so
/// <c>scripts/bench-redis.sh</c> can print the two side by side.
/// </summary>
internal static class RedisBenchCommand
{
    /// <summary>The default value for <c>--requests</c>.</summary>
    public const int DefaultRequests = 1_000_000;

    /// <summary>The default value for <c>--pipeline</c> (redis-benchmark's <c>-P</c>).</summary>
    public const int DefaultPipeline = 64;

    /// <summary>The default value for <c>--clients</c> (redis-benchmark's <c>-c</c> default).</summary>
    public const int DefaultClients = 50;

    /// <summary>Creates the subcommand.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        var redis = new Option<string>("--redis") { Description = "Redis connection string (host:port,password=…).", Required = true };
        var requests = new Option<int>("--requests") { Description = "SET commands to send.", DefaultValueFactory = _ => DefaultRequests };
        var pipeline = new Option<int>("--pipeline") { Description = "Commands per batch (one write, replies awaited together).", DefaultValueFactory = _ => DefaultPipeline };
        var clients = new Option<int>("--clients") { Description = "Batches in flight at once on the one connection.", DefaultValueFactory = _ => DefaultClients };
        var command = new Command("redis-bench", "Measure the RESP client's pipelined SET rate (prints \"SET: N requests/s\").")
        {
            redis,
            requests,
            pipeline,
            clients,
        };
        command.Hidden = true;
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var total = parseResult.GetValue(requests);
            var depth = parseResult.GetValue(pipeline);
            var workers = parseResult.GetValue(clients);
            if (total < 1 || depth < 1 || workers < 1)
            {
                await Console.Error.WriteLineAsync("redis-bench: --requests, --pipeline and --clients must be at least 1.");
                return 2;
            }

            try
            {
                var options = RedisConnectionOptions.Parse(parseResult.GetValue(redis)!);
                await using var connection = await RedisConnection.ConnectAsync(options, cancellationToken: cancellationToken);

                // Warm up (JIT tiers, pools) with a tenth of the run, then measure.
                await RunAsync(connection, Math.Max(depth, total / 10), depth, workers, cancellationToken);
                var allocated = GC.GetTotalAllocatedBytes(precise: true);
                var cpu = Environment.CpuUsage.TotalTime;
                var started = Stopwatch.GetTimestamp();
                await RunAsync(connection, total, depth, workers, cancellationToken);
                var elapsed = Stopwatch.GetElapsedTime(started);
                cpu = Environment.CpuUsage.TotalTime - cpu;
                allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
                Console.WriteLine($"SET: {(total / elapsed.TotalSeconds).ToString("F2", CultureInfo.InvariantCulture)} requests/s");
                await Console.Error.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"redis-bench: {total} requests in {elapsed.TotalSeconds:F2} s, client CPU {cpu.TotalMilliseconds * 1000 / total:F2} µs/request, {(double)allocated / total:F1} bytes allocated/request"));
                return 0;
            }
            catch (Exception ex) when (ex is RedisException or FormatException)
            {
                await Console.Error.WriteLineAsync($"redis-bench: {ex.Message}");
                return 1;
            }
        });
        return command;
    }

    private static Task RunAsync(RedisConnection connection, int total, int depth, int workers, CancellationToken cancellationToken)
    {
        var remaining = (long)total;
        var tasks = new Task[workers];
        for (var i = 0; i < workers; i++)
        {
            tasks[i] = WorkAsync();
        }

        return Task.WhenAll(tasks);

        async Task WorkAsync()
        {
            using var batch = new RedisBatch();
            while (true)
            {
                var claimed = Interlocked.Add(ref remaining, -depth) + depth;
                if (claimed <= 0)
                {
                    return;
                }

                var count = (int)Math.Min(depth, claimed);
                for (var c = 0; c < count; c++)
                {
                    batch.BeginCommand(3);
                    batch.Arg(RespLiterals.SET);
                    batch.Arg("key:__rand_int__"u8);
                    batch.Arg("xxx"u8);
                }

                await connection.ExecuteAsync(batch, null, cancellationToken);
            }
        }
    }
}
