using System.Diagnostics.Metrics;
using Prometheus;

namespace Ticker.Silo.Metrics;

/// <summary>
/// Exports Orleans' meter (<see cref="OrleansMeterName"/>, created by this host's <see cref="IMeterFactory"/>) and the
/// runtime's (<see cref="RuntimeMeterName"/>) into a prometheus-net registry through its <see cref="MeterAdapter"/>.
/// </summary>
/// <remarks>
/// The adapter names a family after the meter and the instrument (<c>orleans-catalog-activations</c> of
/// <c>Microsoft.Orleans</c> becomes <c>microsoft_orleans_orleans_catalog_activations</c>, <c>dotnet.gc.collections</c>
/// of <c>System.Runtime</c> becomes <c>system_runtime_dotnet_gc_collections</c>) and exports counters as gauges of
/// their running total. It cannot rename, so instruments whose name ends in <c>count</c> (<c>dotnet.thread_pool.thread.count</c>,
/// <c>dotnet.timer.count</c>, …) are left out: their families would end in <c>_count</c>, which Prometheus reserves for
/// histograms and summaries (<c>promtool check metrics</c> rejects them). Our own metrics are prometheus-net metrics, not meters: see <see cref="MetricsCatalog"/>.
/// </remarks>
public sealed class MeterExport : IDisposable
{
    /// <summary>The name of Orleans' meter.</summary>
    public const string OrleansMeterName = "Microsoft.Orleans";

    /// <summary>The runtime's built-in meter (GC, JIT, thread pool, CPU, working set).</summary>
    public const string RuntimeMeterName = "System.Runtime";

    /// <summary>The prefix of the families exported from Orleans' meter.</summary>
    public const string OrleansFamilyPrefix = "microsoft_orleans_";

    /// <summary>The prefix of the families exported from the runtime's meter.</summary>
    public const string RuntimeFamilyPrefix = "system_runtime_";

    private readonly IDisposable _adapter;

    /// <summary>Starts exporting the meters into <paramref name="registry"/>.</summary>
    /// <param name="registry">The registry the scrape endpoint serves.</param>
    /// <param name="meterFactory">This host's meter factory: only the Orleans meter it created is exported.</param>
    public MeterExport(CollectorRegistry registry, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(meterFactory);
        _adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = registry,
            MetricFactory = MetricsCatalog.CreateFactory(registry),
            InstrumentFilterPredicate = instrument => !instrument.Name.EndsWith("count", StringComparison.Ordinal)
                && (instrument.Meter.Name == RuntimeMeterName
                    || (instrument.Meter.Name == OrleansMeterName && ReferenceEquals(instrument.Meter.Scope, meterFactory))),
        });
    }

    /// <summary>Stops exporting.</summary>
    public void Dispose() => _adapter.Dispose();
}
