using Ticker.Grains.Batching;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;
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
    public async Task Every_declared_family_and_only_those_are_exported_besides_the_meters()
    {
        using var provider = CatalogRecorder.CreateProvider();
        var registry = CatalogRecorder.RecordEverything(provider);

        var ours = (await registry.FamilyNamesAsync())
            .Where(n => !n.StartsWith(MeterExport.RuntimeFamilyPrefix, StringComparison.Ordinal)
                && !n.StartsWith(MeterExport.OrleansFamilyPrefix, StringComparison.Ordinal)
                && !n.StartsWith("prometheus_net_", StringComparison.Ordinal))
            .ToArray();
        Assert.Equal(MetricsCatalog.MetricNames, ours);
    }

    [Fact]
    public void The_catalog_has_at_least_25_families_besides_process_metrics()
    {
        Assert.True(MetricsCatalog.MetricNames.Count - ProcessInstruments.MetricNames.Count >= 25);
        Assert.Equal(MetricsCatalog.MetricNames.Count, MetricsCatalog.MetricNames.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Runtime_meter_supplies_gc_cpu_and_thread_pool_figures()
    {
        using var provider = CatalogRecorder.CreateProvider();
        var registry = CatalogRecorder.RecordEverything(provider);
        var text = await registry.RenderAsync();

        Assert.Contains("system_runtime_dotnet_gc_collections{gc_heap_generation=\"gen0\"}", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE system_runtime_dotnet_gc_pause_time gauge", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE system_runtime_dotnet_thread_pool_queue_length gauge", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE process_cpu_seconds_total counter", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Known_label_sets_start_at_zero()
    {
        using var provider = CatalogRecorder.CreateProvider();
        var registry = provider.GetRequiredService<CollectorRegistry>();
        _ = provider.GetRequiredService<TickInstruments>();
        _ = provider.GetRequiredService<BatchingInstruments>();
        var lines = await registry.LinesAsync();

        Assert.Contains("ticks_processed_total{tick_type=\"option\",status=\"success\"} 0", lines);
        Assert.Contains("tick_processing_errors_total{error_type=\"validation\"} 0", lines);
        Assert.Contains("tick_batches_flushed_total{batch_type=\"underlying\",reason=\"shutdown\"} 0", lines);
    }

    [Fact]
    public async Task Two_containers_in_one_process_do_not_see_each_others_figures()
    {
        using var first = CatalogRecorder.CreateProvider();
        using var second = CatalogRecorder.CreateProvider();
        var firstRegistry = CatalogRecorder.RecordEverything(first);
        var secondRegistry = second.GetRequiredService<CollectorRegistry>();
        _ = second.GetRequiredService<ClusterInstruments>();

        Assert.Contains("cluster_silos_declared_dead_total 1", await firstRegistry.LinesAsync());
        Assert.Contains("cluster_silos_declared_dead_total 0", await secondRegistry.LinesAsync());
    }

    [Fact]
    public async Task Tick_types_map_instrument_kinds_and_rejections_count_three_ways()
    {
        using var provider = CatalogRecorder.CreateProvider();
        var registry = provider.GetRequiredService<CollectorRegistry>();
        var ticks = provider.GetRequiredService<TickInstruments>();
        ticks.RecordProcessed(Ticker.Grains.Interfaces.Instruments.InstrumentKind.Future, 0.00001);
        ticks.RecordRejected(Ticker.Grains.Interfaces.Instruments.InstrumentKind.Put, CamelCased.Price2High);
        ticks.RecordRejected(Ticker.Grains.Interfaces.Instruments.InstrumentKind.Call, "stale", 3);

        var lines = await registry.LinesAsync();
        Assert.Contains("ticks_processed_total{tick_type=\"underlying\",status=\"success\"} 1", lines);
        Assert.Contains("ticks_processed_total{tick_type=\"option\",status=\"invalid\"} 4", lines);
        Assert.Contains("tick_validation_errors_total{reason=\"price2_high\"} 1", lines);
        Assert.Contains("tick_validation_errors_total{reason=\"stale\"} 3", lines);
        Assert.Contains("tick_processing_errors_total{error_type=\"validation\"} 4", lines);
        Assert.Contains("tick_processing_latency_seconds_bucket{tick_type=\"underlying\",le=\"1e-05\"} 1", lines);
    }

    [Fact]
    public async Task Iv_outcomes_other_than_failures_are_not_counted()
    {
        using var provider = CatalogRecorder.CreateProvider();
        var registry = provider.GetRequiredService<CollectorRegistry>();
        var greeks = provider.GetRequiredService<GreeksInstruments>();
        greeks.RecordIvOutcome(IvStatus.Ok);
        greeks.RecordIvOutcome(IvStatus.None);
        greeks.RecordIvOutcome(IvStatus.Expired);

        var lines = (await registry.LinesAsync()).Where(l => l.StartsWith("iv_failures_total{", StringComparison.Ordinal)).ToArray();
        Assert.Equal(5, lines.Length);
        Assert.Contains("iv_failures_total{reason=\"expired\"} 1", lines);
        Assert.Equal(1, lines.Sum(l => int.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Fill_rate_averages_the_flushes_since_the_previous_scrape_and_then_holds()
    {
        using var provider = CatalogRecorder.CreateProvider();
        var registry = provider.GetRequiredService<CollectorRegistry>();
        var batching = provider.GetRequiredService<BatchingInstruments>();
        Assert.DoesNotContain("tick_batch_fill_rate{", await registry.RenderAsync(), StringComparison.Ordinal);

        batching.RecordFlush(BatchType.Options, FlushReason.Size, 100, 100, 0.001);
        batching.RecordFlush(BatchType.Options, FlushReason.Window, 50, 100, 0.001);
        Assert.Contains("tick_batch_fill_rate{batch_type=\"options\"} 0.75", await registry.LinesAsync());

        Assert.Contains("tick_batch_fill_rate{batch_type=\"options\"} 0.75", await registry.LinesAsync());
        batching.RecordFlush(BatchType.Options, FlushReason.Idle, 10, 100, 0.001);
        Assert.Contains("tick_batch_fill_rate{batch_type=\"options\"} 0.1", await registry.LinesAsync());
    }

    [Fact]
    public async Task Pending_size_sums_registered_batchers_until_they_unregister()
    {
        using var provider = CatalogRecorder.CreateProvider();
        var registry = provider.GetRequiredService<CollectorRegistry>();
        var batching = provider.GetRequiredService<BatchingInstruments>();
        using var first = batching.ObservePendingSize(BatchType.Options, () => 7);
        var second = batching.ObservePendingSize(BatchType.Options, () => 5);

        Assert.Contains("tick_batch_pending_size{batch_type=\"options\"} 12", await registry.LinesAsync());
        second.Dispose();
        Assert.Contains("tick_batch_pending_size{batch_type=\"options\"} 7", await registry.LinesAsync());
    }

    [Fact]
    public async Task Released_shards_disappear_from_the_stream_gauges()
    {
        using var provider = CatalogRecorder.CreateProvider();
        var registry = provider.GetRequiredService<CollectorRegistry>();
        var streams = provider.GetRequiredService<StreamInstruments>();
        streams.SetShardLag(1, 10);
        streams.SetShardLag(2, 20);
        streams.SetShardPendingEntries(2, 3);
        streams.RemoveShard(2);

        var text = await registry.RenderAsync();
        Assert.Contains("tick_stream_lag{shard=\"1\"} 10", text, StringComparison.Ordinal);
        Assert.DoesNotContain("shard=\"2\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_queue_has_its_dead_letter_trim_and_takeover_series_from_the_start()
    {
        using var provider = CatalogRecorder.CreateProvider();
        var registry = provider.GetRequiredService<CollectorRegistry>();
        var streams = provider.GetRequiredService<StreamInstruments>();
        streams.SetQueueCount(2);
        streams.RecordDeadLettered(1, 2);

        var lines = await registry.LinesAsync();
        Assert.Contains("tick_stream_queues 2", lines);
        Assert.Contains("tick_stream_entries_dead_lettered_total{shard=\"0\"} 0", lines);
        Assert.Contains("tick_stream_entries_dead_lettered_total{shard=\"1\"} 2", lines);
        Assert.Contains("tick_stream_entries_trimmed_total{shard=\"1\"} 0", lines);
        Assert.Contains("tick_stream_queue_takeovers_total{shard=\"0\"} 0", lines);
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
}
