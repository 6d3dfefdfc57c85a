using System.Numerics;

namespace Ticker.Grains.Diagnostics;

/// <summary>
/// A log-linear histogram of latencies in nanoseconds (16 sub-buckets per power of two, so a percentile is within
/// 6.25 %), for the status line and the status page. Any number of writers (grains on any thread); readers copy the
/// counts without locking (a count read mid-update is off by one at most).
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>Number of buckets.</summary>
    public const int BucketCount = 64 * SubBuckets;

    private const int SubBits = 4;
    private const int SubBuckets = 1 << SubBits;

    private readonly long[] _counts = new long[BucketCount];

    /// <summary>Records one latency; thread-safe.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void Record(long nanoseconds)
    {
        var index = IndexOf(nanoseconds < 0 ? 0 : nanoseconds);
        Interlocked.Increment(ref _counts[index]);
    }

    /// <summary>Adds this histogram's counts to <paramref name="destination"/> (length <see cref="BucketCount"/>).</summary>
    public void AddTo(long[] destination)
    {
        for (var i = 0; i < BucketCount; i++)
        {
            destination[i] += Volatile.Read(ref _counts[i]);
        }
    }

    /// <summary>The bucket a value falls in.</summary>
    public static int IndexOf(long value)
    {
        if (value < SubBuckets)
        {
            return (int)value;
        }

        var msb = 63 - BitOperations.LeadingZeroCount((ulong)value);
        var shift = msb - SubBits;
        return ((msb - SubBits + 1) * SubBuckets) + (int)((value >> shift) & (SubBuckets - 1));
    }

    /// <summary>The largest value that falls in bucket <paramref name="index"/>.</summary>
    public static long UpperBoundOf(int index)
    {
        if (index < SubBuckets)
        {
            return index;
        }

        var msb = (index / SubBuckets) + SubBits - 1;
        var sub = index % SubBuckets;
        var width = 1L << (msb - SubBits);
        return ((SubBuckets + sub) * width) + width - 1;
    }

    /// <summary>The <paramref name="quantile"/> (0..1) of a set of counts, in nanoseconds; 0 when empty.</summary>
    public static long Quantile(long[] counts, double quantile)
    {
        long total = 0;
        foreach (var c in counts)
        {
            total += c;
        }

        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank && counts[i] > 0)
            {
                return UpperBoundOf(i);
            }
        }

        return UpperBoundOf(counts.Length - 1);
    }
}
