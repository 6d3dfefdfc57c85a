using Prometheus;

namespace Ticker.Silo.Metrics;

/// <summary>
/// The metric catalog: every <c>*Instruments</c> class, the names of the metric families it exports, and
/// the shared histogram buckets (prometheus-net metrics, registered in the host's <see cref="CollectorRegistry"/>). The dashboard and alert tests check their queries against <see cref="MetricNames"/>.
/// </summary>
public static class MetricsCatalog
{
    /// <summary>Buckets for per-tick work (the service is microsecond-fast): 1 µs to 1 s.</summary>
    public static readonly double[] MicrosecondLatencyBuckets =
    [
        0.000001, 0.0000025, 0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005,
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
    ];

    /// <summary>Buckets for I/O and end-to-end latency: 50 µs to 10 s.</summary>
    public static readonly double[] MillisecondLatencyBuckets =
    [
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ];

    /// <summary>Buckets for snapshots per batch: 1 to 5000.</summary>
    public static readonly double[] BatchSizeBuckets = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

    /// <summary>Every <c>*Instruments</c> class, in the order the catalog lists them.</summary>
    public static IReadOnlyList<Type> InstrumentsTypes { get; } =
    [
        typeof(TickInstruments), typeof(GreeksInstruments), typeof(BatchingInstruments), typeof(RedisInstruments),
        typeof(StreamInstruments), typeof(ClusterInstruments), typeof(KiteInstruments), typeof(ProcessInstruments),
    ];

    /// <summary>The name of every metric family the catalog exports (histograms by their base name), sorted.</summary>
    public static IReadOnlyList<string> MetricNames { get; } = CreateMetricNames();

    /// <summary>
    /// A prometheus-net factory of metrics in <paramref name="registry"/>, without exemplars: an exemplar would be
    /// read from the current trace on every record, and the per-tick path records nothing but the value.
    /// </summary>
    internal static IMetricFactory CreateFactory(CollectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        factory.ExemplarBehavior = ExemplarBehavior.NoExemplars();
        return factory;
    }

    private static string[] CreateMetricNames()
    {
        string[] names =
        [
            .. TickInstruments.MetricNames, .. GreeksInstruments.MetricNames, .. BatchingInstruments.MetricNames,
            .. RedisInstruments.MetricNames, .. StreamInstruments.MetricNames, .. ClusterInstruments.MetricNames,
            .. KiteInstruments.MetricNames, .. ProcessInstruments.MetricNames,
        ];
        Array.Sort(names, StringComparer.Ordinal);
        return names;
    }
}
