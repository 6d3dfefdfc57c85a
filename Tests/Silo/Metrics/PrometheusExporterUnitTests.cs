using System.Diagnostics.Metrics;
using Ticker.Silo.Metrics;

namespace Ticker.Tests.Silo.Metrics;

public sealed class PrometheusExporterUnitTests
{
    [Fact]
    public void Counter_gets_help_type_and_a_total_suffix()
    {
        using var test = new ExporterTestMeter();
        test.Meter.CreateCounter<long>("requests", null, "Requests served.").Add(3);

        Assert.Equal(["# HELP requests_total Requests served.", "# TYPE requests_total counter", "requests_total 3"], test.Lines());
    }

    [Fact]
    public void Label_values_escape_backslash_quote_and_newline()
    {
        using var test = new ExporterTestMeter();
        test.Meter.CreateCounter<long>("odd_total", null, "Odd labels.").Add(1, new KeyValuePair<string, object?>("path", "C:\\dir \"quoted\"\nnext"));

        Assert.Contains("odd_total{path=\"C:\\\\dir \\\"quoted\\\"\\nnext\"} 1", test.Lines());
    }

    [Fact]
    public void Help_escapes_backslash_and_newline_but_not_quotes()
    {
        using var test = new ExporterTestMeter();
        test.Meter.CreateObservableGauge("helpful", () => 1, null, "First line\nsecond \\ \"quoted\"");

        Assert.Contains("# HELP helpful First line\\nsecond \\\\ \"quoted\"", test.Lines());
    }

    [Fact]
    public void Histogram_buckets_are_cumulative_inclusive_and_end_in_inf_with_sum_and_count()
    {
        using var test = new ExporterTestMeter();
        var histogram = test.Meter.CreateHistogram("work_seconds", "s", "Work.", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5] });
        foreach (var value in new[] { 0.5, 1, 1.5, 3, 10 })
        {
            histogram.Record(value, new KeyValuePair<string, object?>("kind", "a"));
        }

        Assert.Equal(
        [
            "# HELP work_seconds Work.",
            "# TYPE work_seconds histogram",
            "work_seconds_bucket{kind=\"a\",le=\"1\"} 2",
            "work_seconds_bucket{kind=\"a\",le=\"2\"} 3",
            "work_seconds_bucket{kind=\"a\",le=\"5\"} 4",
            "work_seconds_bucket{kind=\"a\",le=\"+Inf\"} 5",
            "work_seconds_sum{kind=\"a\"} 16",
            "work_seconds_count{kind=\"a\"} 5",
        ], test.Lines());
    }

    [Fact]
    public void Histogram_without_labels_writes_le_alone_and_counts_nan_in_inf()
    {
        using var test = new ExporterTestMeter();
        var histogram = test.Meter.CreateHistogram("odd_seconds", "s", "Odd.", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.000001, 0.5] });
        histogram.Record(0.0000005);
        histogram.Record(double.NaN);

        var lines = test.Lines();
        Assert.Contains("odd_seconds_bucket{le=\"1e-06\"} 1", lines);
        Assert.Contains("odd_seconds_bucket{le=\"0.5\"} 1", lines);
        Assert.Contains("odd_seconds_bucket{le=\"+Inf\"} 2", lines);
        Assert.Contains("odd_seconds_sum NaN", lines);
        Assert.Contains("odd_seconds_count 2", lines);
    }

    [Fact]
    public void Integer_histogram_uses_its_advised_buckets()
    {
        using var test = new ExporterTestMeter();
        var histogram = test.Meter.CreateHistogram("batch_items", "{item}", "Items.", tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [10, 100] });
        histogram.Record(7);
        histogram.Record(70);
        histogram.Record(700);

        var lines = test.Lines();
        Assert.Contains("batch_items_bucket{le=\"10\"} 1", lines);
        Assert.Contains("batch_items_bucket{le=\"100\"} 2", lines);
        Assert.Contains("batch_items_bucket{le=\"+Inf\"} 3", lines);
        Assert.Contains("batch_items_sum 777", lines);
    }

    [Fact]
    public void Histogram_without_advice_gets_default_buckets_by_unit()
    {
        using var test = new ExporterTestMeter();
        test.Meter.CreateHistogram<double>("wait", "s", "Wait.").Record(0.2);
        test.Meter.CreateHistogram<long>("items", "{item}", "Items.").Record(20);

        var lines = test.Lines();
        Assert.Equal(PrometheusExporter.DefaultSecondsBuckets.Count + 1, lines.Count(l => l.StartsWith("wait_seconds_bucket", StringComparison.Ordinal)));
        Assert.Contains("wait_seconds_bucket{le=\"0.25\"} 1", lines);
        Assert.Equal(PrometheusExporter.DefaultBuckets.Count + 1, lines.Count(l => l.StartsWith("items_bucket", StringComparison.Ordinal)));
        Assert.Contains("items_bucket{le=\"25\"} 1", lines);
    }

    [Fact]
    public void Nan_and_infinities_are_written_as_prometheus_spells_them()
    {
        using var test = new ExporterTestMeter();
        var gauge = test.Meter.CreateGauge<double>("reading", null, "Reading.");
        gauge.Record(double.NaN, new KeyValuePair<string, object?>("k", "nan"));
        gauge.Record(double.PositiveInfinity, new KeyValuePair<string, object?>("k", "pos"));
        gauge.Record(double.NegativeInfinity, new KeyValuePair<string, object?>("k", "neg"));
        gauge.Record(1.5e-7, new KeyValuePair<string, object?>("k", "small"));

        var lines = test.Lines();
        Assert.Contains("reading{k=\"nan\"} NaN", lines);
        Assert.Contains("reading{k=\"pos\"} +Inf", lines);
        Assert.Contains("reading{k=\"neg\"} -Inf", lines);
        Assert.Contains("reading{k=\"small\"} 1.5e-07", lines);
    }

    [Fact]
    public void Synchronous_gauge_keeps_the_last_value()
    {
        using var test = new ExporterTestMeter();
        var gauge = test.Meter.CreateGauge<long>("level", null, "Level.");
        gauge.Record(5);
        gauge.Record(-2);

        Assert.Contains("level -2", test.Lines());
    }

    [Fact]
    public void Label_sets_are_separate_series_and_tag_order_does_not_matter()
    {
        using var test = new ExporterTestMeter();
        var counter = test.Meter.CreateCounter<long>("hits_total", null, "Hits.");
        counter.Add(1, new("b", "2"), new("a", "1"));
        counter.Add(2, new("a", "1"), new("b", "2"));
        counter.Add(5, new("a", "x"), new("b", "2"));
        counter.Add(7);

        var lines = test.Lines();
        Assert.Contains("hits_total{a=\"1\",b=\"2\"} 3", lines);
        Assert.Contains("hits_total{a=\"x\",b=\"2\"} 5", lines);
        Assert.Contains("hits_total 7", lines);
        Assert.Equal(3, lines.Count(l => l.StartsWith("hits_total", StringComparison.Ordinal)));
    }

    [Fact]
    public void Equal_strings_that_are_different_instances_share_a_series()
    {
        using var test = new ExporterTestMeter();
        var counter = test.Meter.CreateCounter<long>("shared_total", null, "Shared.");
        counter.Add(1, new KeyValuePair<string, object?>("k", new string('v', 3)));
        counter.Add(1, new KeyValuePair<string, object?>("k", new string('v', 3)));

        Assert.Contains("shared_total{k=\"vvv\"} 2", test.Lines());
    }

    [Fact]
    public void Non_string_tag_values_are_formatted_invariantly()
    {
        using var test = new ExporterTestMeter();
        test.Meter.CreateCounter<long>("typed_total", null, "Typed.").Add(1, new("shard", 3), new("ratio", 0.5));

        Assert.Contains("typed_total{ratio=\"0.5\",shard=\"3\"} 1", test.Lines());
    }

    [Fact]
    public void Names_and_label_keys_are_sanitised_and_units_become_suffixes()
    {
        using var test = new ExporterTestMeter();
        test.Meter.CreateCounter<long>("net.bytes-sent", "By", "Bytes.").Add(10, new KeyValuePair<string, object?>("gc.heap.generation", "gen0"));
        test.Meter.CreateHistogram<double>("rpc.duration", "s", "Duration.").Record(0.1, new KeyValuePair<string, object?>("le", "x"));
        test.Meter.CreateObservableGauge("3d.count", () => 1, null, "Starts with a digit.");

        var lines = test.Lines();
        Assert.Contains("net_bytes_sent_bytes_total{gc_heap_generation=\"gen0\"} 10", lines);
        Assert.Contains("rpc_duration_seconds_bucket{tagle=\"x\",le=\"+Inf\"} 1", lines);
        Assert.Contains("_3d_count_value 1", lines);
    }

    [Fact]
    public void Up_down_counter_is_a_gauge_that_can_go_negative()
    {
        using var test = new ExporterTestMeter();
        var counter = test.Meter.CreateUpDownCounter<long>("in_flight", null, "In flight.");
        counter.Add(2);
        counter.Add(-5);

        var lines = test.Lines();
        Assert.Contains("# TYPE in_flight gauge", lines);
        Assert.Contains("in_flight -3", lines);
    }

    [Fact]
    public void Floating_point_counter_sums_exactly_representable_values()
    {
        using var test = new ExporterTestMeter();
        var counter = test.Meter.CreateCounter<double>("busy_seconds_total", "s", "Seconds.");
        counter.Add(0.25);
        counter.Add(0.5);

        Assert.Contains("busy_seconds_total 0.75", test.Lines());
    }

    [Fact]
    public void Observable_series_that_stop_being_reported_disappear()
    {
        using var test = new ExporterTestMeter();
        var report = new List<Measurement<long>> { new(1, new KeyValuePair<string, object?>("shard", "0")), new(2, new KeyValuePair<string, object?>("shard", "1")) };
        test.Meter.CreateObservableGauge("lag", () => report, null, "Lag.");

        Assert.Contains("lag{shard=\"1\"} 2", test.Lines());
        report.RemoveAt(1);
        var lines = test.Lines();
        Assert.Contains("lag{shard=\"0\"} 1", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("lag{shard=\"1\"}", StringComparison.Ordinal));
    }

    [Fact]
    public void Observable_counter_reports_the_callbacks_cumulative_value()
    {
        using var test = new ExporterTestMeter();
        long total = 40;
        test.Meter.CreateObservableCounter("jobs", () => total, null, "Jobs.");

        Assert.Contains("jobs_total 40", test.Lines());
        total = 42;
        Assert.Contains("jobs_total 42", test.Lines());
    }

    [Fact]
    public void A_throwing_callback_leaves_a_comment_and_the_rest_of_the_exposition()
    {
        using var test = new ExporterTestMeter();
        test.Meter.CreateObservableGauge("broken", new Func<long>(() => throw new InvalidOperationException("sensor gone")), null, "Broken.");
        test.Meter.CreateCounter<long>("fine_total", null, "Fine.").Add(1);

        var lines = test.Lines();
        Assert.Contains("fine_total 1", lines);
        Assert.Contains(lines, l => l.StartsWith("# an observable instrument's callback failed: ", StringComparison.Ordinal) && l.Contains("sensor gone", StringComparison.Ordinal));
    }

    [Fact]
    public void Label_sets_beyond_the_limit_fold_into_an_overflow_series()
    {
        using var test = new ExporterTestMeter(maxSeriesPerMetric: 2);
        var counter = test.Meter.CreateCounter<long>("tokens_total", null, "Per token (a bug).");
        for (var i = 0; i < 5; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("token", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        var lines = test.Lines();
        Assert.Contains("tokens_total{token=\"0\"} 1", lines);
        Assert.Contains("tokens_total{token=\"1\"} 1", lines);
        Assert.Contains("tokens_total{otel_metric_overflow=\"true\"} 3", lines);
    }

    [Fact]
    public void Families_are_sorted_by_name_and_disposed_meters_leave()
    {
        using var test = new ExporterTestMeter();
        test.Meter.CreateCounter<long>("zeta_total", null, "Z.").Add(1);
        test.Meter.CreateCounter<long>("alpha_total", null, "A.").Add(1);
        var headers = test.Lines().Where(l => l.StartsWith("# TYPE", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["# TYPE alpha_total counter", "# TYPE zeta_total counter"], headers);

        test.Meter.Dispose();
        Assert.Empty(test.Exporter.Render());
    }

    [Fact]
    public void Only_the_meters_the_filter_accepts_are_exported()
    {
        using var test = new ExporterTestMeter();
        using var other = new Meter("Ticker.Tests.Other." + Guid.NewGuid().ToString("N"));
        other.CreateCounter<long>("foreign_total", null, "Foreign.").Add(1);
        test.Meter.CreateCounter<long>("own_total", null, "Own.").Add(1);

        Assert.Equal(["own_total"], test.Exporter.FamilyNames);
    }

    [Fact]
    public void The_default_filter_takes_ticker_meters_and_the_runtime_meter()
    {
        using var ours = new Meter("Ticker.Anything");
        using var theirs = new Meter("Vendor.Thing");

        Assert.True(PrometheusExporter.IsTickerOrRuntimeMeter(ours));
        Assert.False(PrometheusExporter.IsTickerOrRuntimeMeter(theirs));
    }
}
