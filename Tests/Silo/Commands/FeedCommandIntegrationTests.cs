using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Ticker.Grains.Instruments;
using Ticker.Silo.Commands;
using Ticker.Silo.KiteMock;
using Ticker.Tests.Client.Kite;

namespace Ticker.Tests.Silo.Commands;

/// <summary><c>feed</c> and <c>record</c> run in-process against the Kite mock, each into a real embedded silo.</summary>
public sealed partial class FeedCommandIntegrationTests
{
    [Fact]
    public async Task Feed_from_kite_writes_ticks_that_the_silo_processes()
    {
        await using var server = await StartTodayAsync();
        var manifest = new FileInfo(Path.GetTempFileName());
        try
        {
            var (exit, stdout, stderr) = await RunFeedAsync(new FeedCommand.Settings
            {
                Kite = true,
                Url = server.Url.ToString(),
                ApiKey = KiteTestServer.ApiKey,
                AccessToken = KiteTestServer.AccessToken,
                Mode = "full",
                Instruments = 100,
                Duration = TimeSpan.FromSeconds(3),
                Manifest = manifest,
                Shards = 2,
            });

            Assert.True(exit == 0, stderr);
            Assert.Contains("subscribing 100 instruments in mode full over 1 connections", stdout, StringComparison.Ordinal);
            var ticks = Number(stdout, "source=kite ticks");
            Assert.True(ticks >= 100, stdout);
            Assert.Equal(ticks, Number(stdout, "processed"));
            Assert.Equal(0, Number(stdout, "invalid"));
            var lines = await File.ReadAllLinesAsync(manifest.FullName);
            Assert.Equal(100, lines.Length);
            Assert.Equal(ticks, lines.Sum(l => Number(l, "\"ticks\":")));
        }
        finally
        {
            manifest.Delete();
        }
    }

    [Fact]
    public async Task Refused_credentials_end_the_feed_with_exit_3_and_say_so_without_the_token()
    {
        await using var server = await StartTodayAsync();
        const string token = "refused_SECRET_7777";

        var (exit, stdout, stderr) = await RunFeedAsync(new FeedCommand.Settings
        {
            Kite = true,
            Url = server.Url.ToString(),
            ApiKey = KiteTestServer.ApiKey,
            AccessToken = token,
            Instruments = 10,
        });

        Assert.Equal(FeedCommand.CredentialsRefused, exit);
        Assert.Contains("Kite refused the API key or access token (HTTP 403)", stderr, StringComparison.Ordinal);
        Assert.Equal(1, server.UpgradeRequests);
        Assert.DoesNotContain(token, stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Record_then_replay_feeds_the_same_number_of_ticks()
    {
        await using var server = await StartTodayAsync();
        var file = new FileInfo(Path.GetTempFileName());
        try
        {
            var record = new StringWriter();
            var recordErrors = new StringWriter();
            var recorded = await RecordCommand.RunAsync(
                file, server.Url.ToString(), KiteTestServer.ApiKey, KiteTestServer.AccessToken, "quote", 50, TimeSpan.FromSeconds(2), null,
                record, recordErrors, NullLoggerFactory.Instance, CancellationToken.None);
            Assert.True(recorded == 0, recordErrors.ToString());
            var recordedTicks = Number(record.ToString(), "ticks");
            Assert.True(recordedTicks >= 50, record.ToString());
            Assert.Equal(file.Length, Number(record.ToString(), "bytes"));

            var (exit, stdout, stderr) = await RunFeedAsync(new FeedCommand.Settings { Replay = file, Speed = "max", Shards = 2 });

            Assert.True(exit == 0, stderr);
            Assert.Equal(recordedTicks, Number(stdout, "source=replay ticks"));
            Assert.Contains("complete=yes", stdout, StringComparison.Ordinal);
            Assert.Equal(recordedTicks, Number(stdout, "processed"));
            Assert.Equal(0, Number(stdout, "invalid"));
        }
        finally
        {
            file.Delete();
        }
    }

    [Fact]
    public async Task Feed_from_the_synthetic_market()
    {
        var (exit, stdout, stderr) = await RunFeedAsync(new FeedCommand.Settings
        {
            Synthetic = true,
            Rate = 5_000,
            Instruments = 200,
            Duration = TimeSpan.FromSeconds(1),
            Shards = 2,
        });

        Assert.True(exit == 0, stderr);
        Assert.True(Number(stdout, "source=synthetic ticks") > 0, stdout);
        Assert.Equal(Number(stdout, "source=synthetic ticks"), Number(stdout, "processed"));
    }

    [Theory]
    [InlineData(false, false, false, "choose exactly one source")]
    [InlineData(true, false, true, "choose exactly one source")]
    public async Task Feed_needs_exactly_one_source(bool kite, bool replay, bool synthetic, string message)
    {
        var (exit, _, stderr) = await RunFeedAsync(new FeedCommand.Settings
        {
            Kite = kite,
            Replay = replay ? new FileInfo("x") : null,
            Synthetic = synthetic,
        });

        Assert.Equal(2, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feed_refuses_a_file_that_is_not_a_recording()
    {
        var file = new FileInfo(Path.GetTempFileName());
        try
        {
            await File.WriteAllTextAsync(file.FullName, "not a recording at all");

            var (exit, _, stderr) = await RunFeedAsync(new FeedCommand.Settings { Replay = file });

            Assert.Equal(2, exit);
            Assert.Contains("does not start with \"KTRC\"", stderr, StringComparison.Ordinal);
        }
        finally
        {
            file.Delete();
        }
    }

    private static Task<KiteMockServer> StartTodayAsync() =>
        KiteTestServer.StartAsync(instruments: 500, master: SyntheticMaster.Create(SyntheticMaster.TodayInIndia(TimeProvider.System)));

    private static async Task<(int Exit, string Stdout, string Stderr)> RunFeedAsync(FeedCommand.Settings settings)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await FeedCommand.RunAsync(settings, stdout, stderr, NullLoggerFactory.Instance, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static long Number(string text, string key)
    {
        var match = Regex.Match(text, Regex.Escape(key) + @"=?(\d+)");
        Assert.True(match.Success, $"no {key} in: {text}");
        return long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
