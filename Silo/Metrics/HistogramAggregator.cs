using System.Buffers;
using System.Diagnostics.Metrics;

namespace Ticker.Silo.Metrics;

/// <summary>Aggregates a <c>Histogram&lt;T&gt;</c> into explicit buckets.</summary>
internal sealed class HistogramAggregator : MetricAggregator<HistogramSeries>
{
    private readonly double[] _bounds;
    private readonly string[] _le;

    /// <summary>Creates the aggregator over the given bucket upper bounds (ascending, finite).</summary>
    public HistogramAggregator(Instrument instrument, string name, bool isFloatingPoint, double[] bounds, int maxSeries)
        : base(instrument, name, PrometheusMetricType.Histogram, isFloatingPoint, maxSeries)
    {
        _bounds = bounds;
        _le = new string[bounds.Length + 1];
        for (var i = 0; i < bounds.Length; i++)
        {
            _le[i] = PrometheusTextWriter.FormatDouble(bounds[i]);
        }

        _le[^1] = "+Inf";
    }

    /// <summary>The bucket upper bounds, without <c>+Inf</c>.</summary>
    public ReadOnlySpan<double> Bounds => _bounds;

    /// <inheritdoc />
    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => GetSeries(tags).Record(value);

    /// <inheritdoc />
    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => GetSeries(tags).Record(value);

    /// <inheritdoc />
    public override void WriteSamples(PrometheusTextWriter writer, int collection)
    {
        var rented = ArrayPool<long>.Shared.Rent(_le.Length);
        try
        {
            var buckets = rented.AsSpan(0, _le.Length);
            foreach (var (labels, series) in Series)
            {
                var sum = series.Read(buckets);
                long cumulative = 0;
                for (var b = 0; b < buckets.Length; b++)
                {
                    cumulative += buckets[b];
                    writer.WriteSample(Name, "_bucket", labels, _le[b], cumulative);
                }

                if (IsFloatingPoint)
                {
                    writer.WriteSample(Name, "_sum", labels, null, sum);
                }
                else
                {
                    // Integer observations sum exactly as long as they stay below 2^53.
                    writer.WriteSample(Name, "_sum", labels, null, (long)sum);
                }

                writer.WriteSample(Name, "_count", labels, null, cumulative);
            }
        }
        finally
        {
            ArrayPool<long>.Shared.Return(rented);
        }
    }

    /// <inheritdoc />
    protected override HistogramSeries CreateSeries() => new(_bounds);
}
