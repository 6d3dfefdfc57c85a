namespace Ticker.Tests.Client.Recording;

/// <summary>
/// A clock that only moves when someone waits on it: every timer advances the time by its due time and fires at
/// once. Total waiting becomes an exact, machine-independent number.
/// </summary>
internal sealed class VirtualTimeProvider : TimeProvider
{
    private static readonly DateTimeOffset Origin = new(2026, 11, 20, 4, 0, 0, TimeSpan.Zero);
    private long _ticks;

    public TimeSpan Elapsed => TimeSpan.FromTicks(Volatile.Read(ref _ticks));

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Volatile.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => Origin + Elapsed;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Add(ref _ticks, Math.Max(0, dueTime.Ticks));

        // Fired from the thread pool a moment later, after the caller has its timer in hand.
        return new Fired(new Timer(callback, state, TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan));
    }

    private sealed class Fired(Timer timer) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose() => timer.Dispose();

        public ValueTask DisposeAsync() => timer.DisposeAsync();
    }
}
