using Ticker.Grains.Interfaces.Streams;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Protocol.Kite;

namespace Ticker.Client.Ingestion;

/// <summary>
/// Turns Kite binary frames into tick-stream writes: decodes each frame with the codec (stamping the receive time),
/// counts heartbeats and decode errors, and writes the ticks as one batch per frame. Every source (Kite connection,
/// replay, synthetic feed) goes through it, so the whole path is the same. One producer per instance.
/// </summary>
public sealed class IngestWriter
{
    private readonly ITickStreamWriter _stream;
    private readonly FeedManifest? _manifest;
    private readonly long[] _decodeErrors = new long[Enum.GetValues<KiteDecodeError>().Length];
    private Tick[] _ticks = new Tick[1024];
    private long _frames;
    private long _heartbeats;
    private long _written;

    /// <summary>Creates a writer into <paramref name="stream"/>, recording into <paramref name="manifest"/> when given.</summary>
    public IngestWriter(ITickStreamWriter stream, FeedManifest? manifest = null)
    {
        _stream = stream;
        _manifest = manifest;
    }

    /// <summary>Binary frames seen (heartbeats included).</summary>
    public long Frames => Volatile.Read(ref _frames);

    /// <summary>Heartbeat frames seen.</summary>
    public long Heartbeats => Volatile.Read(ref _heartbeats);

    /// <summary>Ticks written to the stream.</summary>
    public long TicksWritten => Volatile.Read(ref _written);

    /// <summary>Frames rejected by the codec, by reason (index: <see cref="KiteDecodeError"/>).</summary>
    public long DecodeErrors(KiteDecodeError reason) => Volatile.Read(ref _decodeErrors[(int)reason]);

    /// <summary>All decode errors.</summary>
    public long TotalDecodeErrors
    {
        get
        {
            long total = 0;
            for (var i = 1; i < _decodeErrors.Length; i++)
            {
                total += Volatile.Read(ref _decodeErrors[i]);
            }

            return total;
        }
    }

    /// <summary>Raised after a malformed frame (for metrics); must be quick.</summary>
    public event Action<KiteDecodeError>? DecodeFailed;

    /// <summary>
    /// Decodes one binary frame and writes its ticks. A heartbeat writes nothing; a malformed frame is counted and its
    /// packets before the fault are still written (each was complete and valid).
    /// </summary>
    /// <returns>The number of ticks written.</returns>
    public async ValueTask<int> WriteFrameAsync(ReadOnlyMemory<byte> frame, long receivedAtUs, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _frames);
        var count = Decode(frame.Span, receivedAtUs);
        if (count < 0)
        {
            return 0;
        }

        await _stream.WriteAsync(_ticks.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
        _manifest?.Record(_ticks.AsSpan(0, count));
        Interlocked.Add(ref _written, count);
        return count;
    }

    private int Decode(ReadOnlySpan<byte> frame, long receivedAtUs)
    {
        if (KiteDecoder.IsHeartbeat(frame))
        {
            Interlocked.Increment(ref _heartbeats);
            return -1;
        }

        var packets = KiteDecoder.ReadPacketCount(frame);
        if (packets > _ticks.Length)
        {
            _ticks = new Tick[Math.Max(packets, _ticks.Length * 2)];
        }

        var error = KiteDecoder.TryDecode(frame, _ticks, receivedAtUs, out var written);
        if (error != KiteDecodeError.None)
        {
            Interlocked.Increment(ref _decodeErrors[(int)error]);
            DecodeFailed?.Invoke(error);
        }

        return written;
    }
}
