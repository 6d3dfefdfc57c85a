using Ticker.Grains.Batching;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Ticker.Grains.Interfaces.Pricing;
using Ticker.Silo.Metrics;

namespace Ticker.Tests.Silo.Metrics;

public sealed class MetricsCatalogUnitTests
{
    public enum CamelCased
    {
        BelowIntrinsic,
        IVSolverFailed,
        Price2High,
    }

    [Fact]
    public void Every_declared_family_and_only_those_are_exported_from_our_meters()
    {
        using var provider = CatalogRecorder.CreateProvider();
        var exporter = CatalogRecorder.RecordEverything(provider);

        var ours = exporter.FamilyNames.Where(n => !n.StartsWith("dotnet_", StringComparison.Ordinal)).ToArray();
        Assert.Equal(MetricsCatalog.MetricNames, ours);
    }

    [Fact]
    public void The_catalog_has_at_least_25_families_besides_process_metrics()
    {
        Assert.True(MetricsCatalog.MetricNames.Count - ProcessInstruments.MetricNames.Count >= 25);
        Assert.Equal(MetricsCatalog.MetricNames.Count, MetricsCatalog.MetricNames.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Runtime_meter_supplies_gc_heap_and_thread_pool_figures()
    {
        using var provider = CatalogRecorder.CreateProvider();
        var exporter = CatalogRecorder.RecordEverything(provider);
        var text = exporter.Render();

        Assert.Contains("dotnet_gc_collections_total{gc_heap_generation=\"gen0\"}", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE dotnet_gc_heap_total_allocated_bytes_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE dotnet_thread_pool_threads gauge", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE dotnet_thread_pool_queue_length gauge", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE process_cpu_seconds_total counter", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Known_label_sets_start_at_zero()
    {
        using var provider = CatalogRecorder.CreateProvider();
        var exporter = provider.GetRequiredService<PrometheusExporter>();
        _ = provider.GetRequiredService<TickInstruments>();
        _ = provider.GetRequiredService<BatchingInstruments>();
        var lines = exporter.Render().Split('\n');

        Assert.Contains("ticks_processed_total{status=\"success\",tick_type=\"option\"} 0", lines);
        Assert.Contains("tick_processing_errors_total{error_type=\"validation\"} 0", lines);
        Assert.Contains("tick_batches_flushed_total{batch_type=\"underlying\",reason=\"shutdown\"} 0", lines);
    }

    [Fact]
    public void Two_containers_in_one_process_do_not_see_each_others_figures()
    {
        using var first = CatalogRecorder.CreateProvider();
        using var second = CatalogRecorder.CreateProvider();
        var firstExporter = CatalogRecorder.RecordEverything(first);
        var secondExporter = second.GetRequiredService<PrometheusExporter>();
        _ = second.GetRequiredService<ClusterInstruments>();

        Assert.Contains("cluster_shard_takeovers_total 1", firstExporter.Render().Split('\n'));
        Assert.Contains("cluster_shard_takeovers_total 0", secondExporter.Render().Split('\n'));
    }

    [Fact]
    public void Tick_types_map_instrument_kinds_and_rejections_count_three_ways()
    {
        using var provider = CatalogRecorder.CreateProvider();
        var exporter = provider.GetRequiredService<PrometheusExporter>();
        var ticks = provider.GetRequiredService<TickInstruments>();
        ticks.RecordProcessed(Ticker.Grains.Interfaces.Instruments.InstrumentKind.Future, 0.00001);
        ticks.RecordRejected(Ticker.Grains.Interfaces.Instruments.InstrumentKind.Put, CamelCased.Price2High);

        var lines = exporter.Render().Split('\n');
        Assert.Contains("ticks_processed_total{status=\"success\",tick_type=\"underlying\"} 1", lines);
        Assert.Contains("ticks_processed_total{status=\"invalid\",tick_type=\"option\"} 1", lines);
        Assert.Contains("tick_validation_errors_total{reason=\"price2_high\"} 1", lines);
        Assert.Contains("tick_processing_errors_total{error_type=\"validation\"} 1", lines);
        Assert.Contains("tick_processing_latency_seconds_bucket{tick_type=\"underlying\",le=\"1e-05\"} 1", lines);
    }

    [Fact]
    public void Iv_outcomes_other_than_failures_are_not_counted()
    {
        using var provider = CatalogRecorder.CreateProvider();
        var exporter = provider.GetRequiredService<PrometheusExporter>();
        var greeks = provider.GetRequiredService<GreeksInstruments>();
        greeks.RecordIvOutcome(IvStatus.Ok);
        greeks.RecordIvOutcome(IvStatus.None);
        greeks.RecordIvOutcome(IvStatus.Expired);

        var lines = exporter.Render().Split('\n').Where(l => l.StartsWith("iv_failures_total{", StringComparison.Ordinal)).ToArray();
        Assert.Equal(5, lines.Length);
        Assert.Contains("iv_failures_total{reason=\"expired\"} 1", lines);
        Assert.Equal(1, lines.Sum(l => int.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Fill_rate_averages_the_flushes_since_the_previous_collection_and_then_holds()
    {
        using var provider = CatalogRecorder.CreateProvider();
        var exporter = provider.GetRequiredService<PrometheusExporter>();
        var batching = provider.GetRequiredService<BatchingInstruments>();
        Assert.DoesNotContain("tick_batch_fill_rate{", exporter.Render(), StringComparison.Ordinal);

        batching.RecordFlush(BatchType.Options, FlushReason.Size, 100, 100, 0.001);
        batching.RecordFlush(BatchType.Options, FlushReason.Window, 50, 100, 0.001);
        Assert.Contains("tick_batch_fill_rate{batch_type=\"options\"} 0.75", exporter.Render().Split('\n'));

        Assert.Contains("tick_batch_fill_rate{batch_type=\"options\"} 0.75", exporter.Render().Split('\n'));
        batching.RecordFlush(BatchType.Options, FlushReason.Idle, 10, 100, 0.001);
        Assert.Contains("tick_batch_fill_rate{batch_type=\"options\"} 0.1", exporter.Render().Split('\n'));
    }

    [Fact]
    public void Pending_size_sums_registered_batchers_until_they_unregister()
    {
        using var provider = CatalogRecorder.CreateProvider();
        var exporter = provider.GetRequiredService<PrometheusExporter>();
        var batching = provider.GetRequiredService<BatchingInstruments>();
        using var first = batching.ObservePendingSize(BatchType.Options, () => 7);
        var second = batching.ObservePendingSize(BatchType.Options, () => 5);

        Assert.Contains("tick_batch_pending_size{batch_type=\"options\"} 12", exporter.Render().Split('\n'));
        second.Dispose();
        Assert.Contains("tick_batch_pending_size{batch_type=\"options\"} 7", exporter.Render().Split('\n'));
    }

    [Fact]
    public void Released_shards_disappear_from_the_stream_gauges()
    {
        using var provider = CatalogRecorder.CreateProvider();
        var exporter = provider.GetRequiredService<PrometheusExporter>();
        var streams = provider.GetRequiredService<StreamInstruments>();
        streams.SetShardLag(1, 10);
        streams.SetShardLag(2, 20);
        streams.SetShardPendingEntries(2, 3);
        streams.RemoveShard(2);

        var text = exporter.Render();
        Assert.Contains("tick_stream_lag{shard=\"1\"} 10", text, StringComparison.Ordinal);
        Assert.DoesNotContain("shard=\"2\"", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CamelCased.BelowIntrinsic, "below_intrinsic")]
    [InlineData(CamelCased.IVSolverFailed, "iv_solver_failed")]
    [InlineData(CamelCased.Price2High, "price2_high")]
    [InlineData((CamelCased)99, "other")]
    public void Enum_labels_are_snake_case_member_names(CamelCased value, string label)
        => Assert.Equal(label, EnumLabel<CamelCased>.Of(value));

    [Fact]
    public void Enum_labels_work_for_byte_enums_of_the_contracts()
        => Assert.Equal("above_upper_bound", EnumLabel<IvStatus>.Of(IvStatus.AboveUpperBound));

    [Fact]
    public void Every_instruments_class_creates_its_instruments_on_its_own_meter()
    {
        using var provider = CatalogRecorder.CreateProvider();
        var factory = provider.GetRequiredService<IMeterFactory>();
        var seen = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    lock (seen)
                    {
                        seen.Add(instrument.Meter.Name);
                    }
                }
            },
        };
        listener.Start();
        foreach (var type in MetricsCatalog.InstrumentsTypes)
        {
            _ = provider.GetRequiredService(type);
        }

        Assert.Equal(MetricsCatalog.MeterNames.Order(StringComparer.Ordinal), seen.Distinct().Order(StringComparer.Ordinal));
    }
}
