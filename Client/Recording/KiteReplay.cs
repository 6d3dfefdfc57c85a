using System.Runtime.InteropServices;
using Ticker.Client.Ingestion;
using Ticker.Grains.Accounts;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Client.Recording;

/// <summary>
/// Feeds a recording into the tick stream through an <see cref="IngestWriter"/>, as if it arrived now: the original
/// gaps between frames are kept (divided by the speed) and every frame is stamped with the time it is replayed, so
/// end-to-end latency measures this run and not the age of the file. With <c>rebaseTimes</c> the exchange timestamps
/// and last trade times move with it (each keeps its original distance from its frame's receive time), so
/// validation's "not before today, not in the future" rules accept an old recording.
/// </summary>
public sealed class KiteReplay
{
    /// <summary>Replay as fast as the stream takes the frames.</summary>
    public const double MaxSpeed = double.PositiveInfinity;

    private readonly IngestWriter _ingest;
    private readonly TimeProvider _time;
    private readonly ConnectionState? _state;

    /// <summary>Creates a replay into <paramref name="ingest"/>, reporting to <paramref name="state"/> when given.</summary>
    public KiteReplay(IngestWriter ingest, TimeProvider time, ConnectionState? state = null)
    {
        ArgumentNullException.ThrowIfNull(ingest);
        ArgumentNullException.ThrowIfNull(time);
        _ingest = ingest;
        _time = time;
        _state = state;
    }

    /// <summary>Replays <paramref name="reader"/> until its end, <paramref name="duration"/> or cancellation.</summary>
    /// <param name="reader">An open recording.</param>
    /// <param name="speed">1: real time; 10: ten times faster; <see cref="MaxSpeed"/> (or 0 or less): no waiting.</param>
    /// <param name="rebaseTimes">Move exchange timestamps and last trade times along with the receive times.</param>
    /// <param name="duration">Stop after this long (null: at the end of the recording).</param>
    /// <param name="cancellationToken">Stops the replay (not an error).</param>
    public async Task<KiteReplayResult> RunAsync(KiteRecordingReader reader, double speed, bool rebaseTimes, TimeSpan? duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var paced = speed > 0 && !double.IsPositiveInfinity(speed) && !double.IsNaN(speed);
        var started = _time.GetTimestamp();
        long frames = 0, ticks = 0;
        long firstUs = 0;
        var completed = false;
        _state?.SetConnected(true);
        try
        {
            while (true)
            {
                if (duration is { } limit && _time.GetElapsedTime(started) >= limit)
                {
                    break;
                }

                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    completed = true;
                    break;
                }

                if (frames == 0)
                {
                    firstUs = reader.ReceivedAtUs;
                }

                if (paced)
                {
                    var due = TimeSpan.FromMicroseconds((reader.ReceivedAtUs - firstUs) / speed);
                    var wait = due - _time.GetElapsedTime(started);
                    if (wait > TimeSpan.FromMilliseconds(1))
                    {
                        await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                    }
                }

                var nowUs = _time.MicrosecondsNow();
                if (rebaseTimes)
                {
                    // The reader's buffer is ours until the next read: shift the frame in place.
                    KiteFrameTimes.Shift(MemoryMarshal.AsMemory(reader.Frame).Span, (nowUs - reader.ReceivedAtUs) / 1_000_000);
                }

                var written = await _ingest.WriteFrameAsync(reader.Frame, nowUs, cancellationToken).ConfigureAwait(false);
                _state?.OnFrame(nowUs, written);
                frames++;
                ticks += written;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping early is not an error.
        }
        finally
        {
            _state?.SetConnected(false);
        }

        return new KiteReplayResult(frames, ticks, reader.TruncatedBytes, reader.Corrupt, completed && !reader.Corrupt);
    }
}
