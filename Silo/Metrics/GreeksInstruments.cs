using Prometheus;
using Ticker.Grains.Interfaces.Pricing;

namespace Ticker.Silo.Metrics;

/// <summary>Implied volatility and Greeks metrics (prometheus-net).</summary>
/// <remarks>The <c>Record…</c> methods are called per option tick and allocate nothing.</remarks>
public sealed class GreeksInstruments
{
    /// <summary>Counter: IV + Greeks calculations performed.</summary>
    public const string GreeksCalculationsTotal = "greeks_calculations_total";

    /// <summary>Histogram: time of one IV solve plus Greeks.</summary>
    public const string GreeksCalculationLatencySeconds = "greeks_calculation_latency_seconds";

    /// <summary>Counter <c>{reason}</c>: option ticks for which no IV exists (below intrinsic, above the bound, expired, …).</summary>
    public const string IvFailuresTotal = "iv_failures_total";

    private const string ReasonKey = "reason";

    private readonly Counter _calculations;
    private readonly Histogram _latency;
    private readonly Counter.Child?[] _ivFailures = new Counter.Child?[(int)IvStatus.NoConvergence + 1];

    /// <summary>Creates the metrics in <paramref name="registry"/>.</summary>
    public GreeksInstruments(CollectorRegistry registry)
    {
        var factory = MetricsCatalog.CreateFactory(registry);
        _calculations = factory.CreateCounter(GreeksCalculationsTotal, "Total implied volatility and Greeks calculations.");
        _latency = factory.CreateHistogram(GreeksCalculationLatencySeconds, "Time to solve implied volatility and compute the Greeks of one option tick.",
            new HistogramConfiguration { Buckets = MetricsCatalog.MicrosecondLatencyBuckets });
        var ivFailures = factory.CreateCounter(IvFailuresTotal, "Total option ticks whose implied volatility is undefined, by reason.", [ReasonKey]);
        foreach (var status in Enum.GetValues<IvStatus>())
        {
            if (status is not IvStatus.None and not IvStatus.Ok && (int)status < _ivFailures.Length)
            {
                _ivFailures[(int)status] = ivFailures.WithLabels(EnumLabel<IvStatus>.Of(status));
            }
        }
    }

    /// <summary>The metric names this class exports.</summary>
    public static IReadOnlyList<string> MetricNames { get; } = [GreeksCalculationsTotal, GreeksCalculationLatencySeconds, IvFailuresTotal];

    /// <summary>Records one IV + Greeks calculation and its duration.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordCalculation(double elapsedSeconds)
    {
        _calculations.Inc();
        _latency.Observe(elapsedSeconds);
    }

    /// <summary>Records the IV outcome of an option tick; only failures are counted.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordIvOutcome(IvStatus status)
    {
        if ((uint)status < (uint)_ivFailures.Length)
        {
            _ivFailures[(int)status]?.Inc();
        }
    }
}
