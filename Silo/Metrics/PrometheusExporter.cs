using System.Buffers;
using System.Diagnostics.Metrics;
using System.Text;

namespace Ticker.Silo.Metrics;

/// <summary>
/// Our Prometheus exporter over <see cref="System.Diagnostics.Metrics"/>: a <see cref="MeterListener"/> that aggregates
/// the measurements of the meters it is given (by default ours, named <c>Ticker.*</c>, and the runtime's
/// <c>System.Runtime</c>) and writes them in the text exposition format 0.0.4.
/// </summary>
/// <remarks>
/// Recording is lock-free: each instrument's aggregator is the state object handed to
/// <see cref="MeterListener.EnableMeasurementEvents"/>, so a measurement finds its aggregation without a lookup by
/// instrument, then its label set by scanning a small array compared by reference, then adds into a per-thread
/// stripe with one interlocked operation. Nothing is allocated once a label set has been seen. Collection
/// (<see cref="WriteTo"/>) runs the observable instruments' callbacks and reads the stripes under one lock.
/// Instrument mapping: <c>Counter</c> and <c>ObservableCounter</c> become counters, <c>UpDownCounter</c>,
/// <c>ObservableUpDownCounter</c>, <c>Gauge</c> and <c>ObservableGauge</c> gauges, <c>Histogram</c> histograms with
/// the buckets of <see cref="InstrumentAdvice{T}.HistogramBucketBoundaries"/> (else <see cref="DefaultSecondsBuckets"/>
/// for unit <c>s</c>, <see cref="DefaultBuckets"/> otherwise).
/// </remarks>
public sealed class PrometheusExporter : IDisposable
{
    /// <summary>The media type of the text exposition format 0.0.4.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The prefix of the names of our meters.</summary>
    public const string TickerMeterPrefix = "Ticker.";

    /// <summary>The runtime's built-in meter (GC, JIT, thread pool, CPU, working set).</summary>
    public const string RuntimeMeterName = "System.Runtime";

    /// <summary>The default bucket upper bounds for a histogram in seconds without advice (Prometheus' client defaults).</summary>
    public static readonly IReadOnlyList<double> DefaultSecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>The default bucket upper bounds for any other histogram without advice (OpenTelemetry's defaults).</summary>
    public static readonly IReadOnlyList<double> DefaultBuckets = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    // System.Runtime publishes these two as ObservableCounter although they are current values that go down
    // (dotnet/runtime#112077, fixed after .NET 10); exported as the gauges they are.
    private static readonly HashSet<string> RuntimeGaugesPublishedAsCounters = ["dotnet.thread_pool.thread.count", "dotnet.thread_pool.queue.length"];

    private readonly MeterListener _listener;
    private readonly Func<Meter, bool> _meterFilter;
    private readonly int _maxSeries;
    private readonly Lock _registryLock = new();
    private readonly Lock _collectLock = new();
    private readonly Dictionary<string, MetricAggregator> _byName = new(StringComparer.Ordinal);
    private readonly List<ValueAggregator> _observables = [];
    private int _collection;

    /// <summary>Creates an exporter of our meters (<c>Ticker.*</c>) and <c>System.Runtime</c>, and starts listening.</summary>
    public PrometheusExporter()
        : this(IsTickerOrRuntimeMeter)
    {
    }

    /// <summary>Creates an exporter of the meters <paramref name="meterFilter"/> accepts, and starts listening.</summary>
    /// <param name="meterFilter">Which meters to export; called once per published instrument.</param>
    /// <param name="maxSeriesPerMetric">The most label sets one metric keeps before folding new ones into an overflow series.</param>
    public PrometheusExporter(Func<Meter, bool> meterFilter, int maxSeriesPerMetric = MetricAggregator<SumSeries>.DefaultMaxSeries)
    {
        ArgumentNullException.ThrowIfNull(meterFilter);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSeriesPerMetric, 1);
        _meterFilter = meterFilter;
        _maxSeries = maxSeriesPerMetric;
        _listener = new MeterListener
        {
            InstrumentPublished = OnInstrumentPublished,
            MeasurementsCompleted = OnMeasurementsCompleted,
        };
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((MetricAggregator)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((MetricAggregator)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((MetricAggregator)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((MetricAggregator)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((MetricAggregator)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((MetricAggregator)state!).Record((double)value, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => ((MetricAggregator)state!).Record((double)value, tags));
        _listener.Start();
    }

    /// <summary>The metric family names currently exported, sorted.</summary>
    public IReadOnlyList<string> FamilyNames
    {
        get
        {
            lock (_registryLock)
            {
                var names = new List<string>(_byName.Keys);
                names.Sort(StringComparer.Ordinal);
                return names;
            }
        }
    }

    /// <summary>The default meter filter: our meters (<c>Ticker.*</c>) and the runtime's (<c>System.Runtime</c>).</summary>
    public static bool IsTickerOrRuntimeMeter(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        return meter.Name.StartsWith(TickerMeterPrefix, StringComparison.Ordinal) || meter.Name == RuntimeMeterName;
    }

    /// <summary>
    /// Collects (runs the observable instruments' callbacks) and writes every family, sorted by name, in the text
    /// exposition format 0.0.4.
    /// </summary>
    /// <param name="output">Receives UTF-8 text.</param>
    public void WriteTo(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = new PrometheusTextWriter(output);
        lock (_collectLock)
        {
            var collection = ++_collection;
            MetricAggregator[] families;
            lock (_registryLock)
            {
                foreach (var observable in _observables)
                {
                    observable.Collection = collection;
                }

                families = [.. _byName.Values];
            }

            string? failure = null;
            try
            {
                _listener.RecordObservableInstruments();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A callback that throws must not take the whole scrape down (a failed scrape reads as a dead silo);
                // the other instruments were still recorded, and the failure is written as a comment.
                failure = ex.GetBaseException().Message;
            }

            Array.Sort(families, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            foreach (var family in families)
            {
                writer.WriteHeader(family.Name, family.Help, family.Type);
                family.WriteSamples(writer, collection);
            }

            if (failure is not null)
            {
                writer.WriteComment("an observable instrument's callback failed: " + failure);
            }
        }
    }

    /// <summary>Collects and returns the exposition text (for tests and tools; the endpoint writes to the response).</summary>
    public string Render()
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        WriteTo(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Stops listening.</summary>
    public void Dispose() => _listener.Dispose();

    private static double[] BucketsOf(Instrument instrument)
    {
        IEnumerable<double>? advised = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries,
            Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(static b => (double)b),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(static b => (double)b),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(static b => (double)b),
            Histogram<short> h => h.Advice?.HistogramBucketBoundaries?.Select(static b => (double)b),
            Histogram<byte> h => h.Advice?.HistogramBucketBoundaries?.Select(static b => (double)b),
            Histogram<decimal> h => h.Advice?.HistogramBucketBoundaries?.Select(static b => (double)b),
            _ => null,
        };
        advised ??= instrument.Unit == "s" ? DefaultSecondsBuckets : DefaultBuckets;

        // +Inf is implicit; keep finite bounds, ascending, without duplicates.
        var bounds = new SortedSet<double>(advised.Where(double.IsFinite));
        return [.. bounds];
    }

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (!_meterFilter(instrument.Meter))
        {
            return;
        }

        var definition = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() : null;
        var valueType = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericArguments()[0] : null;
        var isFloatingPoint = valueType == typeof(double) || valueType == typeof(float) || valueType == typeof(decimal);
        var type = definition switch
        {
            _ when definition == typeof(Counter<>) => PrometheusMetricType.Counter,
            _ when definition == typeof(ObservableCounter<>) => instrument.Meter.Name == RuntimeMeterName && RuntimeGaugesPublishedAsCounters.Contains(instrument.Name)
                ? PrometheusMetricType.Gauge
                : PrometheusMetricType.Counter,
            _ when definition == typeof(Histogram<>) => PrometheusMetricType.Histogram,
            _ => PrometheusMetricType.Gauge,
        };
        var name = PrometheusNaming.MetricName(instrument.Name, instrument.Unit, type);

        MetricAggregator aggregator = type == PrometheusMetricType.Histogram
            ? new HistogramAggregator(instrument, name, isFloatingPoint, BucketsOf(instrument), _maxSeries)
            : definition == typeof(Counter<>) || definition == typeof(UpDownCounter<>)
                ? new SumAggregator(instrument, name, type, isFloatingPoint, _maxSeries)
                : new ValueAggregator(instrument, name, type, isFloatingPoint, _maxSeries);

        lock (_registryLock)
        {
            // Two instruments with one Prometheus name would write an invalid exposition; the first one wins.
            if (!_byName.TryAdd(name, aggregator))
            {
                return;
            }

            if (instrument.IsObservable)
            {
                _observables.Add((ValueAggregator)aggregator);
            }
        }

        listener.EnableMeasurementEvents(instrument, aggregator);
    }

    private void OnMeasurementsCompleted(Instrument instrument, object? state)
    {
        if (state is not MetricAggregator aggregator)
        {
            return;
        }

        lock (_registryLock)
        {
            if (_byName.TryGetValue(aggregator.Name, out var current) && ReferenceEquals(current, aggregator))
            {
                _byName.Remove(aggregator.Name);
            }

            if (aggregator is ValueAggregator value)
            {
                _observables.Remove(value);
            }
        }
    }
}
