using System.Diagnostics.Metrics;
using Ticker.Grains.Interfaces.Pricing;

namespace Ticker.Silo.Metrics;

/// <summary>Implied volatility and Greeks metrics (meter <see cref="MeterName"/>).</summary>
/// <remarks>The <c>Record…</c> methods are called per option tick and allocate nothing.</remarks>
public sealed class GreeksInstruments
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Ticker.Greeks";

    /// <summary>Counter: IV + Greeks calculations performed.</summary>
    public const string GreeksCalculationsTotal = "greeks_calculations_total";

    /// <summary>Histogram: time of one IV solve plus Greeks.</summary>
    public const string GreeksCalculationLatencySeconds = "greeks_calculation_latency_seconds";

    /// <summary>Counter <c>{reason}</c>: option ticks for which no IV exists (below intrinsic, above the bound, expired, …).</summary>
    public const string IvFailuresTotal = "iv_failures_total";

    private const string ReasonKey = "reason";

    private static readonly KeyValuePair<string, object?>[] ReasonTags = CreateReasonTags();

    private readonly Counter<long> _calculations;
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _ivFailures;

    /// <summary>Creates the instruments on the meter <see cref="MeterName"/> of <paramref name="meterFactory"/>.</summary>
    public GreeksInstruments(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _calculations = meter.CreateCounter<long>(GreeksCalculationsTotal, "{calculation}", "Total implied volatility and Greeks calculations.");
        _latency = meter.CreateHistogram(GreeksCalculationLatencySeconds, "s", "Time to solve implied volatility and compute the Greeks of one option tick.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricsCatalog.MicrosecondLatencyBuckets });
        _ivFailures = meter.CreateCounter<long>(IvFailuresTotal, "{tick}", "Total option ticks whose implied volatility is undefined, by reason.");

        _calculations.Add(0);
        foreach (var tag in ReasonTags)
        {
            if (tag.Key is not null)
            {
                _ivFailures.Add(0, tag);
            }
        }
    }

    /// <summary>The metric names this class exports.</summary>
    public static IReadOnlyList<string> MetricNames { get; } = [GreeksCalculationsTotal, GreeksCalculationLatencySeconds, IvFailuresTotal];

    /// <summary>Records one IV + Greeks calculation and the time it took.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordCalculation(double elapsedSeconds)
    {
        _calculations.Add(1);
        _latency.Record(elapsedSeconds);
    }

    /// <summary>Records the outcome of an IV solve; <see cref="IvStatus.Ok"/> and <see cref="IvStatus.None"/> are not failures and are ignored.</summary>
    /// <remarks>Allocates nothing. Labels: <c>below_intrinsic</c>, <c>above_upper_bound</c>, <c>expired</c>, <c>invalid_input</c>, <c>no_convergence</c>.</remarks>
    public void RecordIvOutcome(IvStatus status)
    {
        if ((uint)status < (uint)ReasonTags.Length && ReasonTags[(int)status].Key is not null)
        {
            _ivFailures.Add(1, ReasonTags[(int)status]);
        }
    }

    private static KeyValuePair<string, object?>[] CreateReasonTags()
    {
        var tags = new KeyValuePair<string, object?>[(int)IvStatus.NoConvergence + 1];
        foreach (var status in Enum.GetValues<IvStatus>())
        {
            if (status is not IvStatus.None and not IvStatus.Ok && (int)status < tags.Length)
            {
                tags[(int)status] = new(ReasonKey, EnumLabel<IvStatus>.Of(status));
            }
        }

        return tags;
    }
}
