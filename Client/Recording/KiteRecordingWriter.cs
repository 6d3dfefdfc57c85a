namespace Ticker.Client.Recording;

/// <summary>
/// Writes a recording (<see cref="KiteRecordingFormat"/>): the header at creation, then one record per frame.
/// Thread-safe: the connections of an account may share one writer (records never interleave).
/// </summary>
public sealed class KiteRecordingWriter : IDisposable
{
    private const int FileBufferSize = 64 * 1024;

    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly Lock _lock = new();
    private readonly byte[] _header = new byte[KiteRecordingFormat.MaxRecordHeaderLength];
    private long _lastUs;
    private long _frames;
    private long _bytes;
    private bool _disposed;

    /// <summary>Starts a recording on <paramref name="output"/>, writing its header.</summary>
    /// <param name="output">A writable stream.</param>
    /// <param name="startUs">The recording's start, Unix µs (the first delta counts from it).</param>
    /// <param name="leaveOpen">Leave <paramref name="output"/> open on dispose.</param>
    public KiteRecordingWriter(Stream output, long startUs, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _leaveOpen = leaveOpen;
        _lastUs = startUs;
        StartUs = startUs;
        Span<byte> header = stackalloc byte[KiteRecordingFormat.HeaderLength];
        KiteRecordingFormat.WriteHeader(header, startUs);
        _output.Write(header);
        _bytes = KiteRecordingFormat.HeaderLength;
    }

    /// <summary>The recording's start, Unix µs.</summary>
    public long StartUs { get; }

    /// <summary>Frames written.</summary>
    public long Frames => Volatile.Read(ref _frames);

    /// <summary>Bytes written, header included.</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>Creates (or overwrites) a recording file.</summary>
    public static KiteRecordingWriter Create(string path, long startUs) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, FileBufferSize), startUs);

    /// <summary>Appends one frame received at <paramref name="receivedAtUs"/>.</summary>
    /// <exception cref="ArgumentException">The frame is longer than <see cref="KiteRecordingFormat.MaxFrameLength"/>.</exception>
    /// <remarks>Allocates nothing; writes into the stream's buffer (a file stream's 64 KiB buffer).</remarks>
    public void WriteFrame(ReadOnlySpan<byte> frame, long receivedAtUs)
    {
        if (frame.Length > KiteRecordingFormat.MaxFrameLength)
        {
            throw new ArgumentException($"A frame of {frame.Length} bytes exceeds the recording limit of {KiteRecordingFormat.MaxFrameLength}.", nameof(frame));
        }

        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);

            // Deltas are never negative: a clock step back is recorded as "no time passed".
            var at = Math.Max(receivedAtUs, _lastUs);
            var length = KiteRecordingFormat.WriteRecordHeader(_header, at - _lastUs, frame.Length);
            _output.Write(_header, 0, length);
            _output.Write(frame);
            _lastUs = at;
            _frames++;
            _bytes += length + frame.Length;
        }
    }

    /// <summary>Flushes what is buffered to the stream (and a file to disk's cache).</summary>
    public void Flush()
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _output.Flush();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _output.Flush();
            if (!_leaveOpen)
            {
                _output.Dispose();
            }
        }
    }
}
