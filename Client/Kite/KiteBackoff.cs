namespace Ticker.Client.Kite;

/// <summary>
/// Exponential reconnect backoff with a cap and "equal jitter": attempt n waits a random time between half and all
/// of <c>min(initial × 2^(n−1), max)</c>. Computed in floating point with the exponent clamped, so no attempt number
/// overflows into a zero or negative delay (the bug one official client had after its 34th attempt).
/// </summary>
public sealed class KiteBackoff
{
    // 2^62 × any positive initial delay is far past any cap; clamping the exponent keeps Math.Pow finite.
    private const int MaxExponent = 62;

    private readonly double _initialTicks;
    private readonly double _maxTicks;

    /// <summary>Creates a backoff from <paramref name="initial"/> doubling up to <paramref name="max"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initial"/> is not positive or exceeds <paramref name="max"/>.</exception>
    public KiteBackoff(TimeSpan initial, TimeSpan max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, initial);
        Initial = initial;
        Max = max;
        _initialTicks = initial.Ticks;
        _maxTicks = max.Ticks;
    }

    /// <summary>The ceiling of the first retry.</summary>
    public TimeSpan Initial { get; }

    /// <summary>The largest ceiling.</summary>
    public TimeSpan Max { get; }

    /// <summary>The ceiling of attempt <paramref name="attempt"/> (1 = first retry): <c>min(initial × 2^(attempt−1), max)</c>; zero for attempt 0 or less.</summary>
    public TimeSpan Ceiling(int attempt)
    {
        if (attempt <= 0)
        {
            return TimeSpan.Zero;
        }

        var exponent = Math.Min(attempt - 1, MaxExponent);
        var ticks = Math.Min(_initialTicks * Math.Pow(2, exponent), _maxTicks);
        return TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The delay before attempt <paramref name="attempt"/>: between half and all of its <see cref="Ceiling"/>.</summary>
    /// <param name="attempt">1 for the first retry.</param>
    /// <param name="random">A uniform number in [0, 1) (clamped into that range).</param>
    public TimeSpan Delay(int attempt, double random)
    {
        var ceiling = Ceiling(attempt).Ticks;
        var r = double.IsNaN(random) ? 0 : Math.Clamp(random, 0, 1);
        return TimeSpan.FromTicks((ceiling / 2) + (long)(r * (ceiling - (ceiling / 2))));
    }
}
