using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Silo.Metrics;

namespace Ticker.Benchmarks.Metrics;

/// <summary>
/// The two ways to record a metric that prometheus-net serves (goal: under 50 ns, 0 bytes): prometheus-net's own
/// metric types (a label child resolved once, then <c>Inc</c>/<c>Observe</c>), and a System.Diagnostics.Metrics
/// instrument exported by prometheus-net's <see cref="MeterAdapter"/>; plus the catalog's per-tick call and a scrape.
/// </summary>
[MemoryDiagnoser]
public class MetricsRecordingBenchmarks
{
    private static readonly KeyValuePair<string, object?> TickType = new("tick_type", "option");
    private static readonly KeyValuePair<string, object?> Status = new("status", "success");

    private ServiceProvider? _provider;
    private CollectorRegistry? _registry;
    private Counter.Child? _prometheusCounter;
    private Histogram.Child? _prometheusHistogram;
    private Meter? _meter;
    private IDisposable? _adapter;
    private Counter<long>? _meterCounter;
    private Histogram<double>? _meterHistogram;
    private TickInstruments? _ticks;
    private MemoryStream? _scrape;

    [GlobalSetup]
    public void Setup()
    {
        _provider = new ServiceCollection().AddTickerMetrics().BuildServiceProvider();
        _registry = _provider.GetRequiredService<CollectorRegistry>();
        _ = _provider.GetRequiredService<MeterExport>();
        foreach (var type in MetricsCatalog.InstrumentsTypes)
        {
            _ = _provider.GetRequiredService(type);
        }

        _ticks = _provider.GetRequiredService<TickInstruments>();

        var benchRegistry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(benchRegistry);
        factory.ExemplarBehavior = ExemplarBehavior.NoExemplars();
        _prometheusCounter = factory.CreateCounter("bench_prometheus_total", "Bench.", ["tick_type", "status"]).WithLabels("option", "success");
        _prometheusHistogram = factory.CreateHistogram("bench_prometheus_seconds", "Bench.", ["tick_type"],
            new HistogramConfiguration { Buckets = MetricsCatalog.MicrosecondLatencyBuckets }).WithLabels("option");

        _meter = new Meter("Ticker.Benchmarks");
        _meterCounter = _meter.CreateCounter<long>("bench_meter_total");
        _meterHistogram = _meter.CreateHistogram("bench_meter_seconds", "s", null, null, new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricsCatalog.MicrosecondLatencyBuckets });
        _adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = benchRegistry,
            MetricFactory = factory,
            InstrumentFilterPredicate = instrument => ReferenceEquals(instrument.Meter, _meter),
        });

        // First use creates each label set (the only allocation); the benchmarks measure the steady state.
        _meterCounter.Add(1, TickType, Status);
        _meterHistogram.Record(0.00001, TickType);
        _ticks.RecordProcessed(InstrumentKind.Call, 0.00001);
        _scrape = new MemoryStream(256 * 1024);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _adapter?.Dispose();
        _meter?.Dispose();
        _provider?.Dispose();
    }

    /// <summary>prometheus-net counter, two labels, child resolved once.</summary>
    [Benchmark(Baseline = true)]
    public void PrometheusNetCounterInc() => _prometheusCounter!.Inc();

    /// <summary>prometheus-net histogram (19 buckets), one label, child resolved once.</summary>
    [Benchmark]
    public void PrometheusNetHistogramObserve() => _prometheusHistogram!.Observe(0.0000123);

    /// <summary>System.Diagnostics.Metrics counter, two tags, exported by prometheus-net's MeterAdapter.</summary>
    [Benchmark]
    public void MeterAdapterCounterAdd() => _meterCounter!.Add(1, TickType, Status);

    /// <summary>System.Diagnostics.Metrics histogram, one tag, exported by prometheus-net's MeterAdapter.</summary>
    [Benchmark]
    public void MeterAdapterHistogramRecord() => _meterHistogram!.Record(0.0000123, TickType);

    /// <summary>The catalog's per-tick call (the chosen path): a counter increment and a histogram observation.</summary>
    [Benchmark]
    public void TickInstrumentsRecordProcessed() => _ticks!.RecordProcessed(InstrumentKind.Call, 0.0000123);

    /// <summary>A whole scrape of the catalog, Orleans' meter (none here) and the runtime meter (not on the hot path).</summary>
    [Benchmark]
    public long Scrape()
    {
        _scrape!.SetLength(0);
        _registry!.CollectAndExportAsTextAsync(_scrape).GetAwaiter().GetResult();
        return _scrape.Length;
    }
}
