using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;
using Ticker.Protocol.Redis;
using Ticker.Silo.LoadTest;
using Ticker.Tests.Infrastructure;

namespace Ticker.Tests.Silo.Cluster;

/// <summary>
/// Real <c>ticker</c> processes that must not start, or must stop, on Redis: a queue count that disagrees with the
/// cluster's, and a feed whose Redis is not there. Each ends with one readable line and a non-zero exit.
/// </summary>
public sealed class StartupAgreementIntegrationTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_silo_or_feed_whose_queue_count_disagrees_with_the_cluster_stops_at_start_up_with_one_line()
    {
        await using var server = await RedisServerFixture.StartNewAsync();
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString))
        {
            await redis.GetDatabase().StringSetAsync(TickerKeys.ClusterQueueCount, "8");
        }

        var silo = await RunAsync("silo", "--redis", server.ConnectionString, "--shards", "4", "--http", "http://127.0.0.1:0");
        var feed = await RunAsync("feed", "--redis", server.ConnectionString, "--shards", "4", "--synthetic", "--ticks", "10");

        foreach (var (exit, output) in new[] { silo, feed })
        {
            Assert.True(exit == 2, $"exit {exit}:\n{output}");
            var reason = Assert.Single(output.Split('\n'), line => line.Contains("tick:cluster:queues", StringComparison.Ordinal));
            Assert.Contains("set to 4 stream queues", reason, StringComparison.Ordinal);
            Assert.Contains("uses 8 (tick:cluster:queues)", reason, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_feed_whose_redis_is_down_stops_when_its_duration_ends_and_says_why()
    {
        var (exit, output) = await RunAsync("feed", "--redis", $"127.0.0.1:{ClosedPort()}", "--synthetic", "--duration", "1");

        Assert.True(exit == 1, $"exit {exit}:\n{output}");
        Assert.Contains("feed: waiting for Redis", output, StringComparison.Ordinal);
        Assert.Contains("feed: stopped before the tick stream was ready (nothing was written)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        await using var process = ChildProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "ticker.dll"), .. args]);
        using var timeout = new CancellationTokenSource(Patience);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, process.Output);
    }

    /// <summary>A loopback port nothing listens on (bound and released at once).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
