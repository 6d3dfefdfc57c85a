namespace Ticker.Silo.Metrics;

/// <summary>
/// One label set of a histogram: per-stripe bucket counts (the last bucket is <c>+Inf</c>) and a per-stripe sum.
/// The count is the sum of the buckets, so <c>_count</c> always equals the <c>+Inf</c> bucket.
/// </summary>
internal sealed class HistogramSeries
{
    private readonly double[] _bounds;
    private readonly int _stride;
    private readonly int _sumOffset;
    private readonly long[] _cells;

    /// <summary>Creates an empty series over the given upper bounds (ascending, finite).</summary>
    public HistogramSeries(double[] bounds)
    {
        _bounds = bounds;
        _sumOffset = bounds.Length + 1;
        _stride = (_sumOffset + Stripes.CellStride) / Stripes.CellStride * Stripes.CellStride;
        _cells = new long[Stripes.Count * _stride];
    }

    /// <summary>Counts one observation into its bucket and adds it to the sum.</summary>
    /// <remarks>Allocates nothing: a binary search, one interlocked increment and one compare-exchange.</remarks>
    public void Record(double value)
    {
        // The first bucket whose upper bound is >= value ("le" is inclusive); NaN compares false and lands in +Inf.
        var bounds = _bounds;
        int lo = 0, hi = bounds.Length;
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (value <= bounds[mid])
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        var start = Stripes.Current * _stride;
        Interlocked.Increment(ref _cells[start + lo]);
        Stripes.AddDouble(ref _cells[start + _sumOffset], value);
    }

    /// <summary>Reads the (non-cumulative) bucket counts, <c>+Inf</c> last, and the sum.</summary>
    /// <param name="buckets">Receives <c>bounds.Length + 1</c> counts.</param>
    /// <returns>The sum of all observations.</returns>
    public double Read(Span<long> buckets)
    {
        buckets.Clear();
        double sum = 0;
        for (var start = 0; start < _cells.Length; start += _stride)
        {
            for (var b = 0; b < buckets.Length; b++)
            {
                buckets[b] += Volatile.Read(ref _cells[start + b]);
            }

            sum += BitConverter.Int64BitsToDouble(Volatile.Read(ref _cells[start + _sumOffset]));
        }

        return sum;
    }
}
