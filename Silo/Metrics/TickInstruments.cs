using System.Collections.Concurrent;
using Prometheus;
using Ticker.Grains.Interfaces.Instruments;

namespace Ticker.Silo.Metrics;

/// <summary>
/// Tick processing metrics (prometheus-net): latency and outcome of every tick, errors and
/// validation failures by kind, end-to-end latency, depth updates, underlying prices and active accounts.
/// </summary>
/// <remarks>
/// The <c>Record…</c> methods are called per tick: each allocates nothing (cached tags, no strings built). The
/// <c>tick_type</c> label is <c>underlying</c> for <see cref="InstrumentKind.Underlying"/> and
/// <see cref="InstrumentKind.Future"/>, <c>option</c> for calls and puts; <c>status</c> is <c>success</c>,
/// <c>invalid</c> (rejected by validation) or <c>error</c>.
/// </remarks>
public sealed class TickInstruments
{
    /// <summary>Histogram <c>{tick_type}</c>: time to process one tick (validate, update state, IV + Greeks, hand to the batcher).</summary>
    public const string TickProcessingLatencySeconds = "tick_processing_latency_seconds";

    /// <summary>Counter <c>{tick_type,status}</c>: ticks processed.</summary>
    public const string TicksProcessedTotal = "ticks_processed_total";

    /// <summary>Counter <c>{error_type}</c>: tick processing errors by stage (<see cref="TickErrorType"/>).</summary>
    public const string TickProcessingErrorsTotal = "tick_processing_errors_total";

    /// <summary>Counter <c>{reason}</c>: ticks rejected by validation.</summary>
    public const string TickValidationErrorsTotal = "tick_validation_errors_total";

    /// <summary>Histogram: from the tick's receive time at ingestion to its snapshot being written.</summary>
    public const string TickEndToEndLatencySeconds = "tick_end_to_end_latency_seconds";

    /// <summary>Counter: redelivered ticks (after a failover or a retried delivery) skipped because their instrument's state held them already.</summary>
    public const string TicksRedeliveredTotal = "ticks_redelivered_total";

    /// <summary>Counter: ticks that carried a five-level market depth update.</summary>
    public const string MarketDepthUpdatesTotal = "market_depth_updates_total";

    /// <summary>Gauge <c>{symbol}</c>: the last price of each underlying (a handful of symbols).</summary>
    public const string UnderlyingPrice = "underlying_price";

    /// <summary>Gauge: broker accounts whose ticks this silo is processing.</summary>
    public const string TickProcessorActiveAccounts = "tick_processor_active_accounts";

    private const string TickTypeKey = "tick_type";
    private const string StatusKey = "status";
    private const string ErrorTypeKey = "error_type";
    private const string ReasonKey = "reason";
    private const string SymbolKey = "symbol";
    private const int UnderlyingIndex = 0;
    private const int OptionIndex = 1;
    private const int SuccessIndex = 0;
    private const int InvalidIndex = 1;
    private const int ErrorIndex = 2;

    private static readonly string[] TickTypes = ["underlying", "option"];
    private static readonly string[] Statuses = ["success", "invalid", "error"];

    private readonly Histogram.Child[] _latency;
    private readonly Counter.Child[] _processed;
    private readonly Counter.Child[] _errors;
    private readonly Counter _validationErrors;
    private readonly ConcurrentDictionary<string, Counter.Child> _validationReasons = new(StringComparer.Ordinal);
    private readonly Histogram _endToEnd;
    private readonly Counter _depthUpdates;
    private readonly Counter _redelivered;
    private readonly Gauge _underlyingPrice;
    private readonly ConcurrentDictionary<string, Gauge.Child> _underlyingPrices = new(StringComparer.Ordinal);
    private readonly Gauge _activeAccounts;

    /// <summary>Creates the metrics in <paramref name="registry"/>.</summary>
    public TickInstruments(CollectorRegistry registry)
    {
        var factory = MetricsCatalog.CreateFactory(registry);
        var latency = factory.CreateHistogram(TickProcessingLatencySeconds, "Time to process a single tick (validation, state, IV and Greeks, batching), by tick type.",
            [TickTypeKey], new HistogramConfiguration { Buckets = MetricsCatalog.MicrosecondLatencyBuckets });
        var processed = factory.CreateCounter(TicksProcessedTotal, "Total number of ticks processed, by tick type and status (success, invalid, error).", [TickTypeKey, StatusKey]);
        var errors = factory.CreateCounter(TickProcessingErrorsTotal, "Total tick processing errors, by stage (validation, greeks, state, publish, internal).", [ErrorTypeKey]);
        _validationErrors = factory.CreateCounter(TickValidationErrorsTotal, "Total ticks rejected by validation, by reason.", [ReasonKey]);
        _endToEnd = factory.CreateHistogram(TickEndToEndLatencySeconds, "Time from a tick's receipt at ingestion to its snapshot being written.",
            new HistogramConfiguration { Buckets = MetricsCatalog.MillisecondLatencyBuckets });
        _redelivered = factory.CreateCounter(TicksRedeliveredTotal, "Total redelivered ticks (after a failover or a retried delivery) skipped because their instrument's state already held them.");
        _depthUpdates = factory.CreateCounter(MarketDepthUpdatesTotal, "Total market depth (five-level order book) updates processed.");
        _underlyingPrice = factory.CreateGauge(UnderlyingPrice, "Last traded price of each underlying, by symbol.", [SymbolKey]);
        _activeAccounts = factory.CreateGauge(TickProcessorActiveAccounts, "Number of broker accounts whose ticks are being processed.");

        // Every known label set exists from the start at zero, so rates and "no ticks" alerts see a series before the first tick.
        _latency = [latency.WithLabels(TickTypes[UnderlyingIndex]), latency.WithLabels(TickTypes[OptionIndex])];
        _processed = new Counter.Child[TickTypes.Length * Statuses.Length];
        for (var type = 0; type < TickTypes.Length; type++)
        {
            for (var status = 0; status < Statuses.Length; status++)
            {
                _processed[(type * Statuses.Length) + status] = processed.WithLabels(TickTypes[type], Statuses[status]);
            }
        }

        var errorTypes = Enum.GetValues<TickErrorType>();
        _errors = new Counter.Child[errorTypes.Length];
        foreach (var errorType in errorTypes)
        {
            _errors[(int)errorType] = errors.WithLabels(EnumLabel<TickErrorType>.Of(errorType));
        }
    }

    /// <summary>The metric names this class exports.</summary>
    public static IReadOnlyList<string> MetricNames { get; } =
    [
        TickProcessingLatencySeconds, TicksProcessedTotal, TickProcessingErrorsTotal, TickValidationErrorsTotal,
        TickEndToEndLatencySeconds, TicksRedeliveredTotal, MarketDepthUpdatesTotal, UnderlyingPrice, TickProcessorActiveAccounts,
    ];

    /// <summary>Records a tick processed successfully and the time it took.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordProcessed(InstrumentKind kind, double elapsedSeconds)
    {
        var tickType = TickType(kind);
        _processed[(tickType * Statuses.Length) + SuccessIndex].Inc();
        _latency[tickType].Observe(elapsedSeconds);
    }

    /// <summary>Records a tick rejected by validation: status <c>invalid</c>, its reason, and error type <c>validation</c>.</summary>
    /// <param name="kind">The instrument's kind.</param>
    /// <param name="reason">The validator's reason; its label is the member name in snake_case.</param>
    /// <remarks>Allocates nothing once the reason has been seen.</remarks>
    public void RecordRejected<TReason>(InstrumentKind kind, TReason reason)
        where TReason : struct, Enum
        => RecordRejected(kind, EnumLabel<TReason>.Of(reason));

    /// <summary>Records ticks rejected by validation: status <c>invalid</c>, their reason, and error type <c>validation</c>.</summary>
    /// <param name="kind">The instrument's kind.</param>
    /// <param name="reason">A constant, low-cardinality reason (never built per tick).</param>
    /// <param name="count">How many ticks were rejected for it.</param>
    /// <remarks>Allocates nothing once the reason has been seen.</remarks>
    public void RecordRejected(InstrumentKind kind, string reason, int count = 1)
    {
        _processed[(TickType(kind) * Statuses.Length) + InvalidIndex].Inc(count);
        ValidationReason(reason).Inc(count);
        _errors[(int)TickErrorType.Validation].Inc(count);
    }

    /// <summary>Creates the <c>tick_validation_errors_total</c> series of each reason at zero, so dashboards and alerts see them before the first error.</summary>
    public void InitializeValidationReasons(IEnumerable<string> reasons)
    {
        ArgumentNullException.ThrowIfNull(reasons);
        foreach (var reason in reasons)
        {
            _ = ValidationReason(reason);
        }
    }

    /// <summary>Records a tick whose processing failed: status <c>error</c> and the stage that failed.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordFailed(InstrumentKind kind, TickErrorType errorType)
    {
        _processed[(TickType(kind) * Statuses.Length) + ErrorIndex].Inc();
        RecordError(errorType);
    }

    /// <summary>Records an error not tied to one tick (a failed batch write, say).</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordError(TickErrorType errorType)
        => _errors[(uint)errorType < (uint)_errors.Length ? (int)errorType : (int)TickErrorType.Internal].Inc();

    /// <summary>Records the time from a tick's receipt to its snapshot being written.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordEndToEndLatency(double elapsedSeconds) => _endToEnd.Observe(elapsedSeconds);

    /// <summary>Records redelivered ticks that were skipped.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordRedelivered(int count) => _redelivered.Inc(count);

    /// <summary>Records a market depth update.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordDepthUpdate() => _depthUpdates.Inc();

    /// <summary>Sets the last price of an underlying.</summary>
    /// <param name="symbol">The underlying's symbol, a cached string (NIFTY, BANKNIFTY, …).</param>
    /// <param name="price">The price.</param>
    /// <remarks>Allocates nothing once the symbol has been seen.</remarks>
    public void SetUnderlyingPrice(string symbol, double price)
    {
        if (!_underlyingPrices.TryGetValue(symbol, out var child))
        {
            child = _underlyingPrices.GetOrAdd(symbol, static (key, gauge) => gauge.WithLabels(key), _underlyingPrice);
        }

        child.Set(price);
    }

    /// <summary>Sets the number of active broker accounts.</summary>
    public void SetActiveAccounts(int count) => _activeAccounts.Set(count);

    private static int TickType(InstrumentKind kind)
        => kind is InstrumentKind.Call or InstrumentKind.Put ? OptionIndex : UnderlyingIndex;

    private Counter.Child ValidationReason(string reason)
        => _validationReasons.TryGetValue(reason, out var child)
            ? child
            : _validationReasons.GetOrAdd(reason, static (key, counter) => counter.WithLabels(key), _validationErrors);
}
