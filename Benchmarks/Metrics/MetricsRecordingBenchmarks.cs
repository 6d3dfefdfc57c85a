using System.Buffers;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Silo.Metrics;

namespace Ticker.Benchmarks.Metrics;

/// <summary>
/// The cost of recording a measurement while our Prometheus exporter listens (goal: under 50 ns, 0 bytes), against
/// the same instrument with nobody listening, plus the catalog's per-tick call and one full scrape.
/// </summary>
[MemoryDiagnoser]
public class MetricsRecordingBenchmarks
{
    private static readonly KeyValuePair<string, object?> TickType = new("tick_type", "option");
    private static readonly KeyValuePair<string, object?> Status = new("status", "success");

    private ServiceProvider? _provider;
    private Meter? _unlistened;
    private Counter<long>? _counter;
    private Histogram<double>? _histogram;
    private Counter<long>? _unlistenedCounter;
    private TickInstruments? _ticks;
    private PrometheusExporter? _exporter;
    private ArrayBufferWriter<byte>? _scrape;

    [GlobalSetup]
    public void Setup()
    {
        _provider = new ServiceCollection().AddTickerMetrics().BuildServiceProvider();
        _exporter = _provider.GetRequiredService<PrometheusExporter>();
        _ticks = _provider.GetRequiredService<TickInstruments>();
        foreach (var type in MetricsCatalog.InstrumentsTypes)
        {
            _ = _provider.GetRequiredService(type);
        }

        var meter = _provider.GetRequiredService<IMeterFactory>().Create("Ticker.Benchmarks");
        _counter = meter.CreateCounter<long>("bench_counter_total");
        _histogram = meter.CreateHistogram("bench_latency_seconds", "s", null, null, new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricsCatalog.MicrosecondLatencyBuckets });
        _unlistened = new Meter("Unlistened.Benchmarks");
        _unlistenedCounter = _unlistened.CreateCounter<long>("unlistened_total");

        // First use creates each label set (the only allocation); the benchmarks measure the steady state.
        _counter.Add(1, TickType, Status);
        _histogram.Record(0.00001, TickType);
        _ticks.RecordProcessed(InstrumentKind.Call, 0.00001);
        _scrape = new ArrayBufferWriter<byte>(64 * 1024);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _unlistened?.Dispose();
        _provider?.Dispose();
    }

    /// <summary>Counter add with two tags, nobody listening: the floor set by System.Diagnostics.Metrics.</summary>
    [Benchmark(Baseline = true)]
    public void CounterAddWithTags_NoListener() => _unlistenedCounter!.Add(1, TickType, Status);

    /// <summary>Counter add with two tags, exported.</summary>
    [Benchmark]
    public void CounterAddWithTags() => _counter!.Add(1, TickType, Status);

    /// <summary>Histogram record with one tag, exported.</summary>
    [Benchmark]
    public void HistogramRecordWithTag() => _histogram!.Record(0.0000123, TickType);

    /// <summary>The catalog's per-tick call: a counter add and a histogram record.</summary>
    [Benchmark]
    public void TickInstrumentsRecordProcessed() => _ticks!.RecordProcessed(InstrumentKind.Call, 0.0000123);

    /// <summary>A whole scrape of the catalog and the runtime meter (not on the hot path).</summary>
    [Benchmark]
    public int Scrape()
    {
        _scrape!.ResetWrittenCount();
        _exporter!.WriteTo(_scrape);
        return _scrape.WrittenCount;
    }
}
