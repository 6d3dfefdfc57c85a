using System.Diagnostics.Metrics;
using Ticker.Grains.Interfaces.Instruments;

namespace Ticker.Silo.Metrics;

/// <summary>
/// Tick processing metrics (meter <see cref="MeterName"/>): latency and outcome of every tick, errors and
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
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Ticker.Ticks";

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

    private static readonly KeyValuePair<string, object?> UnderlyingTag = new(TickTypeKey, "underlying");
    private static readonly KeyValuePair<string, object?> OptionTag = new(TickTypeKey, "option");
    private static readonly KeyValuePair<string, object?> SuccessTag = new(StatusKey, "success");
    private static readonly KeyValuePair<string, object?> InvalidTag = new(StatusKey, "invalid");
    private static readonly KeyValuePair<string, object?> ErrorTag = new(StatusKey, "error");
    private static readonly KeyValuePair<string, object?>[] ErrorTypeTags = CreateErrorTypeTags();

    private readonly Histogram<double> _latency;
    private readonly Counter<long> _processed;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _validationErrors;
    private readonly Histogram<double> _endToEnd;
    private readonly Counter<long> _depthUpdates;
    private readonly Gauge<double> _underlyingPrice;
    private int _activeAccounts;

    /// <summary>Creates the instruments on the meter <see cref="MeterName"/> of <paramref name="meterFactory"/>.</summary>
    public TickInstruments(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _latency = meter.CreateHistogram(TickProcessingLatencySeconds, "s", "Time to process a single tick (validation, state, IV and Greeks, batching), by tick type.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricsCatalog.MicrosecondLatencyBuckets });
        _processed = meter.CreateCounter<long>(TicksProcessedTotal, "{tick}", "Total number of ticks processed, by tick type and status (success, invalid, error).");
        _errors = meter.CreateCounter<long>(TickProcessingErrorsTotal, "{error}", "Total tick processing errors, by stage (validation, greeks, state, publish, internal).");
        _validationErrors = meter.CreateCounter<long>(TickValidationErrorsTotal, "{tick}", "Total ticks rejected by validation, by reason.");
        _endToEnd = meter.CreateHistogram(TickEndToEndLatencySeconds, "s", "Time from a tick's receipt at ingestion to its snapshot being written.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricsCatalog.MillisecondLatencyBuckets });
        _depthUpdates = meter.CreateCounter<long>(MarketDepthUpdatesTotal, "{update}", "Total market depth (five-level order book) updates processed.");
        _underlyingPrice = meter.CreateGauge<double>(UnderlyingPrice, null, "Last traded price of each underlying, by symbol.");
        meter.CreateObservableGauge(TickProcessorActiveAccounts, () => Volatile.Read(ref _activeAccounts), "{account}", "Number of broker accounts whose ticks are being processed.");

        // Known label sets start at zero, so rates and "no ticks" alerts see a series before the first tick.
        foreach (var tickType in (ReadOnlySpan<KeyValuePair<string, object?>>)[UnderlyingTag, OptionTag])
        {
            _processed.Add(0, tickType, SuccessTag);
            _processed.Add(0, tickType, InvalidTag);
            _processed.Add(0, tickType, ErrorTag);
        }

        foreach (var errorType in ErrorTypeTags)
        {
            _errors.Add(0, errorType);
        }

        _depthUpdates.Add(0);
    }

    /// <summary>The metric names this class exports.</summary>
    public static IReadOnlyList<string> MetricNames { get; } =
    [
        TickProcessingLatencySeconds, TicksProcessedTotal, TickProcessingErrorsTotal, TickValidationErrorsTotal,
        TickEndToEndLatencySeconds, MarketDepthUpdatesTotal, UnderlyingPrice, TickProcessorActiveAccounts,
    ];

    /// <summary>Records a tick processed successfully and the time it took.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordProcessed(InstrumentKind kind, double elapsedSeconds)
    {
        var tickType = TickType(kind);
        _processed.Add(1, tickType, SuccessTag);
        _latency.Record(elapsedSeconds, tickType);
    }

    /// <summary>Records a tick rejected by validation: status <c>invalid</c>, its reason, and error type <c>validation</c>.</summary>
    /// <param name="kind">The instrument's kind.</param>
    /// <param name="reason">The validator's reason; its label is the member name in snake_case.</param>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordRejected<TReason>(InstrumentKind kind, TReason reason)
        where TReason : struct, Enum
        => RecordRejected(kind, EnumLabel<TReason>.Of(reason));

    /// <summary>Records a tick rejected by validation: status <c>invalid</c>, its reason, and error type <c>validation</c>.</summary>
    /// <param name="kind">The instrument's kind.</param>
    /// <param name="reason">A constant, low-cardinality reason (never built per tick).</param>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordRejected(InstrumentKind kind, string reason)
    {
        _processed.Add(1, TickType(kind), InvalidTag);
        _validationErrors.Add(1, new KeyValuePair<string, object?>(ReasonKey, reason));
        _errors.Add(1, ErrorTypeTags[(int)TickErrorType.Validation]);
    }

    /// <summary>Creates the <c>tick_validation_errors_total</c> series of each reason at zero, so dashboards and alerts see them before the first error.</summary>
    public void InitializeValidationReasons(IEnumerable<string> reasons)
    {
        foreach (var reason in reasons)
        {
            _validationErrors.Add(0, new KeyValuePair<string, object?>(ReasonKey, reason));
        }
    }

    /// <summary>Records a tick whose processing failed: status <c>error</c> and the stage that failed.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordFailed(InstrumentKind kind, TickErrorType errorType)
    {
        _processed.Add(1, TickType(kind), ErrorTag);
        RecordError(errorType);
    }

    /// <summary>Records an error not tied to one tick (a failed batch write, say).</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordError(TickErrorType errorType)
        => _errors.Add(1, (uint)errorType < (uint)ErrorTypeTags.Length ? ErrorTypeTags[(int)errorType] : ErrorTypeTags[(int)TickErrorType.Internal]);

    /// <summary>Records the time from a tick's receipt to its snapshot being written.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordEndToEndLatency(double elapsedSeconds) => _endToEnd.Record(elapsedSeconds);

    /// <summary>Records a market depth update.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordDepthUpdate() => _depthUpdates.Add(1);

    /// <summary>Sets the last price of an underlying.</summary>
    /// <param name="symbol">The underlying's symbol, a cached string (NIFTY, BANKNIFTY, …).</param>
    /// <param name="price">The price.</param>
    /// <remarks>Allocates nothing.</remarks>
    public void SetUnderlyingPrice(string symbol, double price) => _underlyingPrice.Record(price, new KeyValuePair<string, object?>(SymbolKey, symbol));

    /// <summary>Sets the number of active broker accounts (read when metrics are collected).</summary>
    public void SetActiveAccounts(int count) => Volatile.Write(ref _activeAccounts, count);

    private static KeyValuePair<string, object?> TickType(InstrumentKind kind)
        => kind is InstrumentKind.Call or InstrumentKind.Put ? OptionTag : UnderlyingTag;

    private static KeyValuePair<string, object?>[] CreateErrorTypeTags()
    {
        var values = Enum.GetValues<TickErrorType>();
        var tags = new KeyValuePair<string, object?>[values.Length];
        foreach (var value in values)
        {
            tags[(int)value] = new(ErrorTypeKey, EnumLabel<TickErrorType>.Of(value));
        }

        return tags;
    }
}
