using System.Diagnostics;
using Ticker.Client.Ingestion;
using Ticker.Grains.Accounts;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Protocol.Kite;

namespace Ticker.Client.Synthetic;

/// <summary>
/// Drives a <see cref="SyntheticMarket"/> at a steady rate: each slice of ticks is encoded as a Kite binary frame
/// and handed to an <see cref="IngestWriter"/>, which decodes it like a frame off the wire, so the whole path runs.
/// </summary>
public sealed class SyntheticFeed
{
    /// <summary>The default value for the ticks in one frame at most.</summary>
    public const int MaxTicksPerFrame = 2048;

    private readonly SyntheticMarket _market;
    private readonly IngestWriter _ingest;
    private readonly TimeProvider _time;
    private readonly ConnectionState? _connection;
    private readonly Tick[] _ticks = new Tick[MaxTicksPerFrame];
    private readonly byte[] _frame;

    /// <summary>Creates a feed of <paramref name="market"/> into <paramref name="ingest"/>, reporting to <paramref name="connection"/> when given.</summary>
    public SyntheticFeed(SyntheticMarket market, IngestWriter ingest, TimeProvider time, ConnectionState? connection = null)
    {
        _market = market;
        _ingest = ingest;
        _time = time;
        _connection = connection;
        _frame = new byte[2 + (MaxTicksPerFrame * (2 + 184))];
    }

    /// <summary>Ticks produced so far.</summary>
    public long Produced { get; private set; }

    /// <summary>
    /// Produces ticks at <paramref name="ticksPerSecond"/> (0 or less: as fast as the stream takes them) until
    /// <paramref name="duration"/> passes (null: until cancelled) or <paramref name="maxTicks"/> are produced.
    /// </summary>
    /// <returns>The number of ticks produced.</returns>
    public async Task<long> RunAsync(double ticksPerSecond, TimeSpan? duration, CancellationToken cancellationToken, long maxTicks = long.MaxValue)
    {
        _connection?.SetConnected(true);
        _connection?.SetInstruments(_market.Instruments.Count);
        var started = Stopwatch.GetTimestamp();
        try
        {
            while (!cancellationToken.IsCancellationRequested && Produced < maxTicks)
            {
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (duration is { } limit && elapsed >= limit)
                {
                    break;
                }

                var due = ticksPerSecond > 0 ? (long)(ticksPerSecond * elapsed.TotalSeconds) - Produced : MaxTicksPerFrame;
                due = Math.Min(due, maxTicks - Produced);
                if (due <= 0)
                {
                    await Task.Delay(1, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var count = (int)Math.Min(due, MaxTicksPerFrame);
                var nowUs = _time.MicrosecondsNow();
                _market.NextTicks(_ticks.AsSpan(0, count), nowUs);
                var length = KiteEncoder.Encode(_ticks.AsSpan(0, count), _frame);
                await _ingest.WriteFrameAsync(_frame.AsMemory(0, length), nowUs, cancellationToken).ConfigureAwait(false);
                _connection?.OnFrame(nowUs, count);
                Produced += count;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is the normal end of an open-ended feed.
        }
        finally
        {
            _connection?.SetConnected(false);
        }

        return Produced;
    }
}
