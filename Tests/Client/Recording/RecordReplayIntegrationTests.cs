using Ticker.Client.Ingestion;
using Ticker.Client.Kite;
using Ticker.Client.Recording;
using Ticker.Grains.Accounts;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Tests.Client.Kite;

namespace Ticker.Tests.Client.Recording;

/// <summary>Records a live stream from the Kite mock, replays the file, and compares the decoded ticks.</summary>
public sealed class RecordReplayIntegrationTests
{
    [Fact]
    public async Task A_replayed_recording_gives_the_same_ticks_as_the_live_stream()
    {
        var (recording, live) = await RecordAsync(TimeSpan.FromSeconds(5));
        using var reader = await KiteRecordingReader.OpenAsync(new MemoryStream(recording), false, CancellationToken.None);
        var replayed = new TickCollector();
        var ingest = new IngestWriter(replayed);
        var state = new ConnectionState(0);

        var result = await new KiteReplay(ingest, TimeProvider.System, state).RunAsync(reader, KiteReplay.MaxSpeed, rebaseTimes: false, null, CancellationToken.None);

        Assert.True(result.Completed);
        Assert.Equal(0, result.TruncatedBytes);
        var expected = live.Snapshot();
        var actual = replayed.Snapshot();
        Assert.Equal(expected.Length, result.Ticks);
        Assert.Equal(expected.Length, actual.Length);
        Assert.True(expected.Length > 500, $"only {expected.Length} ticks were recorded");
        Assert.Contains(expected, t => t.Mode == TickMode.Full);
        Assert.Contains(expected, t => t.Mode == TickMode.Ltp);
        for (var i = 0; i < expected.Length; i++)
        {
            // The replay stamps frames with the time they are replayed; everything else is what was received.
            Assert.True(actual[i].ReceivedAtUs >= expected[i].ReceivedAtUs);
            var e = expected[i];
            e.ReceivedAtUs = actual[i].ReceivedAtUs;
            Protocol.Kite.TickAssert.Equal(e, actual[i], $"tick {i}");
        }

        Assert.Equal(result.Frames, ingest.Frames);
        Assert.Equal(result.Ticks, state.Ticks);
    }

    [Fact]
    public async Task The_recording_keeps_each_frame_s_receive_time_and_a_replay_keeps_the_gaps()
    {
        var (recording, live) = await RecordAsync(TimeSpan.FromSeconds(2));
        var receiveTimes = live.Snapshot().Select(t => t.ReceivedAtUs).Distinct().ToHashSet();
        using (var reader = await KiteRecordingReader.OpenAsync(new MemoryStream(recording), false, CancellationToken.None))
        {
            var recorded = new HashSet<long>();
            while (await reader.ReadAsync(CancellationToken.None))
            {
                if (reader.Frame.Length > 1)
                {
                    recorded.Add(reader.ReceivedAtUs);
                }
            }

            Assert.Equal(receiveTimes, recorded);
        }

        using var paced = await KiteRecordingReader.OpenAsync(new MemoryStream(recording), false, CancellationToken.None);
        var clock = new VirtualTimeProvider();
        var result = await new KiteReplay(new IngestWriter(new TickCollector()), clock).RunAsync(paced, 4, false, null, CancellationToken.None);

        // On a clock that only moves when the replay waits, the waits add up to the recorded span divided by the
        // speed (less at most the 1 ms a replay does not bother to wait for).
        var span = TimeSpan.FromMicroseconds((paced.ReceivedAtUs - FirstReceiveTime(recording)) / 4.0);
        Assert.True(result.Completed);
        Assert.InRange(clock.Elapsed, span - TimeSpan.FromMilliseconds(1), span);
        // Guards the assertion above against a trivial span; a loaded machine records fewer frames, so the bar is low.
        Assert.True(span > TimeSpan.FromMilliseconds(50), $"the recorded span is only {span * 4}");
    }

    [Fact]
    public async Task Rebased_times_keep_their_distance_from_the_receive_time()
    {
        var (recording, live) = await RecordAsync(TimeSpan.FromSeconds(1), TickMode.Full);
        using var reader = await KiteRecordingReader.OpenAsync(new MemoryStream(recording), false, CancellationToken.None);
        var replayed = new TickCollector();

        await new KiteReplay(new IngestWriter(replayed), TimeProvider.System).RunAsync(reader, KiteReplay.MaxSpeed, rebaseTimes: true, null, CancellationToken.None);

        var expected = live.Snapshot();
        var actual = replayed.Snapshot();
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var lagBefore = (expected[i].ReceivedAtUs / 1_000_000) - expected[i].ExchangeTimestamp;
            var lagAfter = (actual[i].ReceivedAtUs / 1_000_000) - actual[i].ExchangeTimestamp;
            Assert.InRange(lagAfter - lagBefore, -1, 1);
        }
    }

    [Fact]
    public async Task A_cut_recording_replays_its_complete_frames_and_reports_the_tail()
    {
        var (recording, _) = await RecordAsync(TimeSpan.FromSeconds(1));
        using var reader = await KiteRecordingReader.OpenAsync(new MemoryStream(recording[..^7]), false, CancellationToken.None);

        var result = await new KiteReplay(new IngestWriter(new TickCollector()), TimeProvider.System).RunAsync(reader, KiteReplay.MaxSpeed, false, null, CancellationToken.None);

        Assert.True(result.Completed);
        Assert.True(result.TruncatedBytes > 0);
        Assert.True(result.Frames > 0);
    }

    private static long FirstReceiveTime(byte[] recording)
    {
        var header = KiteRecordingFormat.TryReadHeader(recording, out var startUs);
        Assert.Null(header);
        Assert.Equal(KiteRecordStatus.Complete, KiteRecordingFormat.TryReadRecord(recording.AsSpan(KiteRecordingFormat.HeaderLength), out var delta, out _, out _));
        return startUs + delta;
    }

    private static async Task<(byte[] Recording, TickCollector Live)> RecordAsync(TimeSpan duration, TickMode? only = null)
    {
        await using var server = await KiteTestServer.StartAsync(instruments: 300);
        var tokens = server.Market.Tokens;
        var live = new TickCollector();
        using var output = new MemoryStream();
        var startUs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        using (var writer = new KiteRecordingWriter(output, startUs, leaveOpen: true))
        {
            var connection = new KiteConnection(
                KiteTestServer.Options(server), KiteTestServer.Credentials(), 0, new IngestWriter(live), null, TimeProvider.System, new ListLogger(), writer);
            await connection.SubscribeAsync(tokens.Take(100), only ?? TickMode.Full, CancellationToken.None);
            await connection.SubscribeAsync(tokens.Skip(100).Take(100), only ?? TickMode.Quote, CancellationToken.None);
            await connection.SubscribeAsync(tokens.Skip(200), only ?? TickMode.Ltp, CancellationToken.None);
            using var stop = new CancellationTokenSource();
            var run = connection.RunAsync(stop.Token);
            await Eventually.WaitUntilAsync(() => live.DistinctTokens == 300, "every instrument ticked");
            await Task.Delay(duration);
            await stop.CancelAsync();
            await run.WaitAsync(Eventually.DefaultTimeout);
            Assert.Equal(connection.Ingest.Frames, writer.Frames);
        }

        return (output.ToArray(), live);
    }
}
