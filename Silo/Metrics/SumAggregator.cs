using System.Diagnostics.Metrics;

namespace Ticker.Silo.Metrics;

/// <summary>Aggregates a <c>Counter&lt;T&gt;</c> (a Prometheus counter) or an <c>UpDownCounter&lt;T&gt;</c> (a gauge) as running sums.</summary>
internal sealed class SumAggregator(Instrument instrument, string name, PrometheusMetricType type, bool isFloatingPoint, int maxSeries)
    : MetricAggregator<SumSeries>(instrument, name, type, isFloatingPoint, maxSeries)
{
    /// <inheritdoc />
    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => GetSeries(tags).Add(value);

    /// <inheritdoc />
    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => GetSeries(tags).Add(value);

    /// <inheritdoc />
    public override void WriteSamples(PrometheusTextWriter writer, int collection)
    {
        foreach (var (labels, series) in Series)
        {
            if (IsFloatingPoint)
            {
                writer.WriteSample(Name, default, labels, null, series.ReadDouble());
            }
            else
            {
                writer.WriteSample(Name, default, labels, null, series.ReadLong());
            }
        }
    }

    /// <inheritdoc />
    protected override SumSeries CreateSeries() => new();
}
