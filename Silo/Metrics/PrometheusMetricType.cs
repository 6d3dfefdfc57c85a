namespace Ticker.Silo.Metrics;

/// <summary>The Prometheus metric types this exporter writes.</summary>
internal enum PrometheusMetricType
{
    /// <summary>A monotonically increasing total; its name ends in <c>_total</c>.</summary>
    Counter,

    /// <summary>A value that goes up and down.</summary>
    Gauge,

    /// <summary>Cumulative buckets, a sum and a count.</summary>
    Histogram,
}
