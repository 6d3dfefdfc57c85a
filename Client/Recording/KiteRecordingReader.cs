using System.Buffers;

namespace Ticker.Client.Recording;

/// <summary>
/// Streams a recording back frame by frame with bounded memory. A file that ends inside a record (a recorder killed
/// mid-write) is not an error: the complete frames are returned and the incomplete tail is counted in
/// <see cref="TruncatedBytes"/>. A record that cannot be one (<see cref="KiteRecordStatus.Corrupt"/>) ends the
/// reading and sets <see cref="Corrupt"/>. One reader per stream; not thread-safe.
/// </summary>
public sealed class KiteRecordingReader : IDisposable
{
    private const int InitialBufferSize = 64 * 1024;

    private readonly Stream _input;
    private readonly bool _leaveOpen;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _endOfStream;
    private long _lastUs;
    private long _position;

    private KiteRecordingReader(Stream input, bool leaveOpen, long startUs, byte[] buffer, int start, int end, bool endOfStream)
    {
        _input = input;
        _leaveOpen = leaveOpen;
        StartUs = startUs;
        _lastUs = startUs;
        _buffer = buffer;
        _start = start;
        _end = end;
        _endOfStream = endOfStream;
        _position = KiteRecordingFormat.HeaderLength;
    }

    /// <summary>The recording's start, Unix µs.</summary>
    public long StartUs { get; }

    /// <summary>The current frame (after <see cref="ReadAsync"/> returned true); valid until the next read.</summary>
    public ReadOnlyMemory<byte> Frame { get; private set; }

    /// <summary>When the current frame was received, Unix µs.</summary>
    public long ReceivedAtUs { get; private set; }

    /// <summary>Frames read so far.</summary>
    public long Frames { get; private set; }

    /// <summary>Bytes of an incomplete record at the end of the input (0 when it ended on a record boundary).</summary>
    public long TruncatedBytes { get; private set; }

    /// <summary>True when reading stopped at bytes that cannot be a record (offset in <see cref="CorruptAt"/>).</summary>
    public bool Corrupt { get; private set; }

    /// <summary>The file offset of the corrupt record, when <see cref="Corrupt"/>.</summary>
    public long CorruptAt { get; private set; }

    /// <summary>Opens a recording file.</summary>
    /// <exception cref="InvalidDataException">The file is not a recording (the message says why).</exception>
    public static Task<KiteRecordingReader> OpenAsync(string path, CancellationToken cancellationToken) =>
        OpenAsync(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.Asynchronous | FileOptions.SequentialScan), false, cancellationToken);

    /// <summary>Reads the header of a recording from <paramref name="input"/>.</summary>
    /// <exception cref="InvalidDataException">The input is not a recording (the message says why).</exception>
    public static async Task<KiteRecordingReader> OpenAsync(Stream input, bool leaveOpen, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        try
        {
            var end = 0;
            var endOfStream = false;
            while (end < KiteRecordingFormat.HeaderLength && !endOfStream)
            {
                var read = await input.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
                endOfStream = read == 0;
                end += read;
            }

            var error = KiteRecordingFormat.TryReadHeader(buffer.AsSpan(0, end), out var startUs);
            if (error is not null)
            {
                throw new InvalidDataException($"Not a Kite recording: {error}.");
            }

            var reader = new KiteRecordingReader(input, leaveOpen, startUs, buffer, KiteRecordingFormat.HeaderLength, end, endOfStream);
            buffer = null;
            return reader;
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                if (!leaveOpen)
                {
                    await input.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Moves to the next frame.</summary>
    /// <returns>False at the end of the recording (see <see cref="TruncatedBytes"/> and <see cref="Corrupt"/>).</returns>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        Frame = default;
        while (true)
        {
            var status = KiteRecordingFormat.TryReadRecord(_buffer.AsSpan(_start, _end - _start), out var delta, out var header, out var length);
            if (status == KiteRecordStatus.Complete)
            {
                _lastUs += delta;
                ReceivedAtUs = _lastUs;
                Frame = _buffer.AsMemory(_start + header, length);
                _start += header + length;
                _position += header + length;
                Frames++;
                return true;
            }

            if (status == KiteRecordStatus.Corrupt)
            {
                Corrupt = true;
                CorruptAt = _position;
                return false;
            }

            if (_endOfStream)
            {
                TruncatedBytes = _end - _start;
                return false;
            }

            // Need more: keep the partial record, make room for the whole of it, and read.
            var needed = header > 0 ? header + length : KiteRecordingFormat.MaxRecordHeaderLength;
            MakeRoom(needed);
            var read = await _input.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            _endOfStream = read == 0;
            _end += read;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            Frame = default;
        }

        if (!_leaveOpen)
        {
            _input.Dispose();
        }
    }

    private void MakeRoom(int recordLength)
    {
        // Room for the whole record from _start, and for at least one more byte than is pending.
        var pending = _end - _start;
        var capacity = Math.Max(recordLength, pending + 1);
        if (_buffer.Length - _start >= capacity)
        {
            return;
        }

        if (_buffer.Length >= capacity)
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
        }
        else
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, _buffer.Length * 2));
            _buffer.AsSpan(_start, pending).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        _start = 0;
        _end = pending;
    }
}
