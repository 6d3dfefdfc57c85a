using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Ticker.Grains.Batching;
using Ticker.Grains.Diagnostics;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Batching;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Silo.Hosting;
using Ticker.Tests.Client.Kite;
using Ticker.Silo.Transports.Embedded;
using Ticker.Tests.Infrastructure;

namespace Ticker.Tests.Grains.Batching;

/// <summary>
/// The batcher grain's rules, each on a real embedded silo configured for it: idle flush, window, size, shutdown,
/// batching off, conflation, and back-pressure from a stalled sink.
/// </summary>
public sealed class SnapshotBatcherGrainIntegrationTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task With_idle_flush_a_lone_add_is_written_at_once_not_at_the_window()
    {
        await using var silo = await StartAsync(new() { ["Batching:WindowMs"] = "10000" });

        await Batcher(silo).AddAsync(Set(Options(3)));

        Assert.Equal(3, Store(silo).Written);
        Assert.Equal(1, Flushes(silo, FlushReason.Idle));
        Assert.Equal(0, Flushes(silo, FlushReason.Window));
    }

    [Fact]
    public async Task Without_idle_flush_the_window_flushes()
    {
        await using var silo = await StartAsync(new() { ["Batching:IdleFlush"] = "false", ["Batching:WindowMs"] = "50" });

        await Batcher(silo).AddAsync(Set(Options(2)));

        Assert.Equal(2, Store(silo).Written);
        Assert.Equal(1, Flushes(silo, FlushReason.Window));
    }

    [Fact]
    public async Task The_size_limit_flushes_before_the_window_and_separates_underlyings_from_options()
    {
        await using var silo = await StartAsync(new() { ["Batching:IdleFlush"] = "false", ["Batching:WindowMs"] = "10000", ["Batching:MaxBatchSize"] = "2" });
        var underlying = new InstrumentSnapshot { InstrumentToken = TestMarket.Nifty.InstrumentToken, Kind = InstrumentKind.Underlying, Ticks = 1 };
        var batches = new List<(int Underlyings, int Options)>();
        Store(silo).BatchWritten += (u, o) => { lock (batches) { batches.Add((u.Length, o.Length)); } };

        await Batcher(silo).AddAsync(Set([.. Options(2), underlying, .. Options(2, from: 2)]));

        Assert.Equal(2, Flushes(silo, FlushReason.Size));
        Assert.Contains((0, 2), batches);
        Assert.Equal(5, Store(silo).Written);
    }

    [Fact]
    public async Task Stopping_the_silo_writes_what_is_pending_as_a_shutdown_flush()
    {
        var silo = await StartAsync(new() { ["Batching:IdleFlush"] = "false", ["Batching:WindowMs"] = "10000" });
        var store = Store(silo);
        var statistics = silo.Services.GetRequiredService<SiloStatistics>();
        var add = Batcher(silo).AddAsync(Set(Options(4)));
        await Eventually.WaitUntilAsync(() => statistics.PendingSnapshots == 4, "the snapshots wait in the batch");
        Assert.False(add.IsCompleted);

        await silo.StopAsync();
        await add.WaitAsync(Patience);

        Assert.Equal(4, store.Written);
        Assert.Equal(1, statistics.Capture().FlushesByReason[(int)FlushReason.Shutdown]);
        await silo.DisposeAsync();
    }

    [Fact]
    public async Task With_batching_off_each_snapshot_is_written_on_its_own()
    {
        await using var silo = await StartAsync(new() { ["Batching:Enabled"] = "false" });

        await Batcher(silo).AddAsync(Set(Options(5)));

        Assert.Equal(5, Flushes(silo, FlushReason.Disabled));
        Assert.Equal(5, Store(silo).Written);
    }

    [Fact]
    public async Task Conflation_keeps_the_latest_snapshot_of_an_instrument_per_batch()
    {
        await using var silo = await StartAsync(new() { ["Batching:Conflate"] = "true", ["Batching:IdleFlush"] = "false", ["Batching:WindowMs"] = "200" });
        var option = Options(1)[0];

        var first = Batcher(silo).AddAsync(Set([option with { LastPrice = 101, Ticks = 1 }]));
        var second = Batcher(silo).AddAsync(Set([option with { LastPrice = 102, Ticks = 2 }]));
        await Task.WhenAll(first, second);

        Assert.Equal(1, Store(silo).Written);
        Assert.True(Store(silo).TryGet(option.InstrumentToken, out var stored));
        Assert.Equal(102, stored.LastPrice);
    }

    [Fact]
    public async Task A_stalled_sink_holds_callers_back_and_nothing_is_lost_when_it_recovers()
    {
        var sink = new GatedSink(new InMemorySnapshotStore(TestMarket.Master));
        await using var silo = await StartAsync(new() { ["Batching:MaxPendingBatches"] = "1" }, sink);
        var batcher = Batcher(silo);

        var adds = new List<Task>();
        for (var i = 0; i < 4; i++)
        {
            adds.Add(batcher.AddAsync(Set(Options(1, from: i))));
        }

        await Eventually.WaitUntilAsync(() => sink.Attempts == 1, "the first batch reached the sink");
        Assert.All(adds, add => Assert.False(add.IsCompleted));

        sink.Open();
        await Task.WhenAll(adds).WaitAsync(Patience);

        Assert.Equal(4, sink.Store.Written);
    }

    private static async Task<WebApplication> StartAsync(Dictionary<string, string?> settings, ISnapshotSink? sink = null)
    {
        settings["Http:Url"] = "http://127.0.0.1:0";
        settings["Kite:Enabled"] = "false";
        var app = SiloApplication.Build(settings, (services, configuration) =>
        {
            services.AddEmbeddedSilo(configuration);
            if (sink is not null)
            {
                services.AddSingleton(sink);
            }
        });
        await app.StartAsync();
        return app;
    }

    private static ISnapshotBatcherGrain Batcher(WebApplication silo) =>
        silo.Services.GetRequiredService<IGrainFactory>().GetGrain<ISnapshotBatcherGrain>(0);

    private static InMemorySnapshotStore Store(WebApplication silo) => silo.Services.GetRequiredService<InMemorySnapshotStore>();

    private static long Flushes(WebApplication silo, FlushReason reason) =>
        silo.Services.GetRequiredService<SiloStatistics>().Capture().FlushesByReason[(int)reason];

    private static SnapshotSet Set(InstrumentSnapshot[] snapshots) => new([RawPayload.Pack<InstrumentSnapshot>(snapshots)]);

    /// <summary>Option snapshots of the silos' master (the synthetic master of today).</summary>
    private static InstrumentSnapshot[] Options(int count, int from = 0)
    {
        var master = SyntheticMaster.Create(SyntheticMaster.TodayInIndia(TimeProvider.System));
        var nifty = master.Underlyings[0].InstrumentToken;
        var options = master.Options(nifty, master.Expiries(nifty)[0]);
        var snapshots = new InstrumentSnapshot[count];
        for (var i = 0; i < count; i++)
        {
            var option = options[from + i];
            snapshots[i] = new InstrumentSnapshot { InstrumentToken = option.InstrumentToken, Kind = option.Kind, LastPrice = 100 + i, Ticks = 1 };
        }

        return snapshots;
    }

    /// <summary>A sink that holds every write until opened, around a real in-memory store.</summary>
    private sealed class GatedSink(InMemorySnapshotStore store) : ISnapshotSink
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _attempts;

        public InMemorySnapshotStore Store { get; } = store;

        public int Attempts => Volatile.Read(ref _attempts);

        public void Open() => _gate.TrySetResult();

        public async ValueTask WriteAsync(ReadOnlyMemory<InstrumentSnapshot> underlyings, ReadOnlyMemory<InstrumentSnapshot> options, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _attempts);
            await _gate.Task.WaitAsync(cancellationToken);
            await Store.WriteAsync(underlyings, options, cancellationToken);
        }
    }
}
