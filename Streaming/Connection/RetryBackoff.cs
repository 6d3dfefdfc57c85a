namespace Ticker.Streaming.Connection;

/// <summary>The wait between attempts after a Redis error: doubling from 20 ms up to a cap, with jitter.</summary>
internal static class RetryBackoff
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(20);

    /// <summary>The delay before attempt <paramref name="attempt"/> + 1 (attempt counts from 1), between half and all of the step.</summary>
    public static TimeSpan Delay(int attempt, TimeSpan cap)
    {
        var step = First.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 16));
        var capped = Math.Min(step, cap.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (Random.Shared.NextDouble() * 0.5)));
    }
}
