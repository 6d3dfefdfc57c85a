namespace Ticker.Tests.Client.Recording;

/// <summary>A read-only stream over bytes that returns at most one chunk per read, split at the given offsets.</summary>
internal sealed class ChunkedStream : Stream
{
    private readonly byte[] _data;
    private readonly int[] _splits;
    private int _position;

    public ChunkedStream(byte[] data, params int[] splits)
    {
        _data = data;
        _splits = [.. splits.Where(s => s > 0 && s < data.Length).Order()];
    }

    /// <summary>A stream that returns one byte per read.</summary>
    public static ChunkedStream OneByteAtATime(byte[] data) => new(data, [.. Enumerable.Range(1, Math.Max(0, data.Length - 1))]);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _data.Length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var end = _data.Length;
        foreach (var split in _splits)
        {
            if (split > _position)
            {
                end = split;
                break;
            }
        }

        var n = Math.Min(buffer.Length, end - _position);
        _data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
