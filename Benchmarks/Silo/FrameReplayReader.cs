using Ticker.Grains.Interfaces.Streams;
using Ticker.Protocol.Kite;

namespace Ticker.Benchmarks.Silo;

/// <summary>
/// A tick-stream reader over pre-encoded Kite frames: each read decodes the next frame into a pooled entry, as the
/// Redis reader does with a stream entry's payload. <see cref="Replay"/> hands the frames out once more.
/// </summary>
internal sealed class FrameReplayReader : ITickStreamReader
{
    private readonly byte[][] _frames;
    private readonly Stack<TickStreamEntry> _pool = new();
    private readonly SemaphoreSlim _replayed = new(0);
    private int _next;
    private long _sequence;

    public FrameReplayReader(byte[][] frames)
    {
        _frames = frames;
        _next = frames.Length;
    }

    public int Shard => 0;

    public bool HasBuffered => Volatile.Read(ref _next) < _frames.Length;

    /// <summary>Makes every frame readable again (call once the previous round was read).</summary>
    public void Replay()
    {
        Volatile.Write(ref _next, 0);
        _replayed.Release();
    }

    public async ValueTask<TickStreamEntry?> ReadAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _next) == _frames.Length)
        {
            if (maxWait <= TimeSpan.Zero || !await _replayed.WaitAsync(maxWait, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }

        var frame = _frames[_next];
        var entry = _pool.Count > 0 ? _pool.Pop() : new TickStreamEntry(KiteDecoder.ReadPacketCount(frame));
        KiteDecoder.TryDecode(frame, entry.Buffer, receivedAtUs: DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000, out var written);
        entry.Count = written;
        entry.Id = new StreamEntryId(++_sequence, 0);
        _next++;
        return entry;
    }

    public ValueTask AckAsync(ReadOnlyMemory<StreamEntryId> ids, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public void Release(TickStreamEntry entry) => _pool.Push(entry);

    public ValueTask DisposeAsync()
    {
        _replayed.Dispose();
        return ValueTask.CompletedTask;
    }
}
