namespace Ticker.Grains.Batching;

/// <summary>How long a failed snapshot write or stream operation waits before its next attempt.</summary>
public static class RetryBackoff
{
    /// <summary>The default value for the longest wait between attempts: 2 seconds.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);

    /// <summary>Capped exponential backoff with jitter: about 50 ms, 100 ms, … up to <see cref="MaxDelay"/>.</summary>
    /// <param name="attempt">The attempt that failed, from 1.</param>
    public static TimeSpan Delay(int attempt)
    {
        var baseMs = Math.Min(MaxDelay.TotalMilliseconds, 50 * Math.Pow(2, Math.Clamp(attempt - 1, 0, 10)));
        return TimeSpan.FromMilliseconds(baseMs * (0.5 + (Random.Shared.NextDouble() * 0.5)));
    }
}
