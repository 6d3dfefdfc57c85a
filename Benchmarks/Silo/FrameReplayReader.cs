using Ticker.Grains.Interfaces.Streams;
using Ticker.Protocol.Kite;

namespace Ticker.Benchmarks.Silo;

/// <summary>
/// A tick-stream reader over pre-encoded Kite frames: each read decodes the next frame into a pooled entry, as the
/// Redis reader does with a stream entry's payload. Completes <see cref="Drained"/> when every frame was handed out.
/// </summary>
internal sealed class FrameReplayReader : ITickStreamReader
{
    private readonly byte[][] _frames;
    private readonly Stack<TickStreamEntry> _pool = new();
    private int _next;

    public FrameReplayReader(byte[][] frames) => _frames = frames;

    public int Shard => 0;

    public TaskCompletionSource Drained { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ValueTask<TickStreamEntry?> ReadAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        if (_next == _frames.Length)
        {
            Drained.TrySetResult();
            return ValueTask.FromResult<TickStreamEntry?>(null);
        }

        var frame = _frames[_next];
        var entry = _pool.Count > 0 ? _pool.Pop() : new TickStreamEntry(KiteDecoder.ReadPacketCount(frame));
        KiteDecoder.TryDecode(frame, entry.Buffer, receivedAtUs: DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000, out var written);
        entry.Count = written;
        entry.Id = new StreamEntryId(++_next, 0);
        return ValueTask.FromResult<TickStreamEntry?>(entry);
    }

    public ValueTask AckAsync(ReadOnlyMemory<StreamEntryId> ids, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public void Release(TickStreamEntry entry) => _pool.Push(entry);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
