using System.Diagnostics.Metrics;

namespace Ticker.Silo.Metrics;

/// <summary>
/// Aggregates instruments whose measurements are values rather than increments: a synchronous <c>Gauge&lt;T&gt;</c>
/// (last value wins) and the observable instruments (the value reported at the latest collection).
/// </summary>
internal sealed class ValueAggregator(Instrument instrument, string name, PrometheusMetricType type, bool isFloatingPoint, int maxSeries)
    : MetricAggregator<ValueSeries>(instrument, name, type, isFloatingPoint, maxSeries)
{
    /// <summary>The collection in progress, stamped on each series an observable callback reports.</summary>
    public int Collection { get; set; }

    /// <inheritdoc />
    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = GetSeries(tags);
        series.Set(value);
        series.Collection = Collection;
    }

    /// <inheritdoc />
    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = GetSeries(tags);
        series.Set(value);
        series.Collection = Collection;
    }

    /// <inheritdoc />
    public override void WriteSamples(PrometheusTextWriter writer, int collection)
    {
        var observable = Instrument.IsObservable;
        foreach (var (labels, series) in Series)
        {
            // An observable callback that no longer reports a label set (a released shard, say) drops its series.
            if (observable && series.Collection != collection)
            {
                continue;
            }

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
    protected override ValueSeries CreateSeries() => new();
}
