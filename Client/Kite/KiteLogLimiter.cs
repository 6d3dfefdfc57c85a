namespace Ticker.Client.Kite;

/// <summary>
/// Lets one log line through per interval and counts the ones it holds back, so a reconnect storm shows in the log
/// as one line every few seconds with "(N more suppressed)" instead of a flood. Thread-safe.
/// </summary>
internal sealed class KiteLogLimiter
{
    /// <summary>The default value for the interval: one line per 10 seconds.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    private readonly TimeProvider _time;
    private readonly long _intervalTicks;
    private readonly Lock _lock = new();
    private long _next = long.MinValue;
    private int _suppressed;

    /// <summary>Creates a limiter letting one line through per <paramref name="interval"/>.</summary>
    public KiteLogLimiter(TimeProvider time, TimeSpan interval)
    {
        _time = time;
        _intervalTicks = (long)(interval.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>Returns true when a line may be logged now; <paramref name="suppressed"/> is how many were held back since the last one.</summary>
    public bool TryEnter(out int suppressed)
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            if (now < _next)
            {
                _suppressed++;
                suppressed = 0;
                return false;
            }

            _next = now + _intervalTicks;
            suppressed = _suppressed;
            _suppressed = 0;
            return true;
        }
    }
}
