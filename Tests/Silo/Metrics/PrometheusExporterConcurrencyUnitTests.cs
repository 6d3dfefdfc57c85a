using System.Diagnostics.Metrics;
using System.Globalization;

namespace Ticker.Tests.Silo.Metrics;

public sealed class PrometheusExporterConcurrencyUnitTests
{
    private const int Threads = 8;
    private const int PerThread = 50_000;

    [Fact]
    public void Many_threads_adding_to_shared_label_sets_lose_nothing()
    {
        using var test = new ExporterTestMeter();
        var counter = test.Meter.CreateCounter<long>("adds_total", null, "Adds.");
        var doubles = test.Meter.CreateCounter<double>("halves_total", null, "Halves.");
        var a = new KeyValuePair<string, object?>("side", "a");
        var b = new KeyValuePair<string, object?>("side", "b");

        RunOnThreads(_ =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                counter.Add(1, (i & 1) == 0 ? a : b);
                doubles.Add(0.5);
            }
        });

        var lines = test.Lines();
        Assert.Contains($"adds_total{{side=\"a\"}} {Threads * PerThread / 2}", lines);
        Assert.Contains($"adds_total{{side=\"b\"}} {Threads * PerThread / 2}", lines);
        Assert.Contains($"halves_total {Threads * PerThread / 2}", lines);
    }

    [Fact]
    public void Many_threads_recording_a_histogram_keep_buckets_sum_and_count_exact()
    {
        using var test = new ExporterTestMeter();
        var histogram = test.Meter.CreateHistogram("op_seconds", "s", "Ops.", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2] });

        RunOnThreads(_ =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                histogram.Record((i % 3) + 0.5); // 0.5, 1.5, 2.5 in turn
            }
        });

        var lines = test.Lines();
        var perValue = Threads * (long)Enumerable.Range(0, PerThread).Count(i => i % 3 == 0);
        var total = (long)Threads * PerThread;
        Assert.Contains($"op_seconds_bucket{{le=\"1\"}} {perValue}", lines);
        Assert.Contains($"op_seconds_count {total}", lines);
        Assert.Contains($"op_seconds_bucket{{le=\"+Inf\"}} {total}", lines);
        var expectedSum = Threads * Enumerable.Range(0, PerThread).Sum(i => (i % 3) + 0.5);
        Assert.Contains($"op_seconds_sum {expectedSum.ToString("R", CultureInfo.InvariantCulture)}", lines);
    }

    [Fact]
    public void Threads_creating_label_sets_at_once_get_one_series_each_with_exact_counts()
    {
        using var test = new ExporterTestMeter();
        var counter = test.Meter.CreateCounter<long>("created_total", null, "Created.");
        var values = Enumerable.Range(0, 64).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();

        RunOnThreads(thread =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                counter.Add(1, new KeyValuePair<string, object?>("k", values[(i + thread) % values.Length]));
            }
        });

        var lines = test.Lines().Where(l => l.StartsWith("created_total{", StringComparison.Ordinal)).ToArray();
        Assert.Equal(values.Length, lines.Length);
        Assert.Equal(Threads * 2_000L, lines.Sum(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Scraping_while_threads_record_sees_monotonic_counters()
    {
        using var test = new ExporterTestMeter();
        var counter = test.Meter.CreateCounter<long>("live_total", null, "Live.");
        counter.Add(0);
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                counter.Add(1);
            }
        })).ToArray();

        long previous = 0;
        for (var scrape = 0; scrape < 50; scrape++)
        {
            var line = Assert.Single(test.Lines(), l => l.StartsWith("live_total ", StringComparison.Ordinal));
            var value = long.Parse(line["live_total ".Length..], CultureInfo.InvariantCulture);
            Assert.True(value >= previous, $"counter went back from {previous} to {value}");
            previous = value;
        }

        await stop.CancelAsync();
        await Task.WhenAll(writers);
    }

    private static void RunOnThreads(Action<int> body)
    {
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            body(t);
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }
    }
}
