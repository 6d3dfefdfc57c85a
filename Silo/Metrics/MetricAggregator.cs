using System.Diagnostics.Metrics;

namespace Ticker.Silo.Metrics;

/// <summary>
/// The exporter's state for one instrument: the listener hands it to <see cref="MeterListener.EnableMeasurementEvents"/>
/// as the per-instrument state, so a measurement reaches its aggregation without a lookup by instrument.
/// </summary>
internal abstract class MetricAggregator
{
    /// <summary>Creates the aggregator of a metric family.</summary>
    protected MetricAggregator(Instrument instrument, string name, PrometheusMetricType type, bool isFloatingPoint)
    {
        Instrument = instrument;
        Name = name;
        Type = type;
        IsFloatingPoint = isFloatingPoint;
        Help = string.IsNullOrWhiteSpace(instrument.Description) ? instrument.Name : instrument.Description;
    }

    /// <summary>The instrument aggregated.</summary>
    public Instrument Instrument { get; }

    /// <summary>The Prometheus family name (for counters, ending in <c>_total</c>).</summary>
    public string Name { get; }

    /// <summary>The HELP text (unescaped).</summary>
    public string Help { get; }

    /// <summary>The Prometheus type.</summary>
    public PrometheusMetricType Type { get; }

    /// <summary>Whether the instrument measures floating-point values (else integers).</summary>
    public bool IsFloatingPoint { get; }

    /// <summary>Records an integer measurement.</summary>
    public abstract void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    /// <summary>Records a floating-point measurement.</summary>
    public abstract void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    /// <summary>Writes the family's samples (not its HELP and TYPE lines).</summary>
    /// <param name="writer">The output.</param>
    /// <param name="collection">The number of the collection being written; observable series not reported in it are left out.</param>
    public abstract void WriteSamples(PrometheusTextWriter writer, int collection);
}
