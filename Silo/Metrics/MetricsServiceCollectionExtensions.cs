using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Prometheus;

namespace Ticker.Silo.Metrics;

/// <summary>Registers the metric catalog, its prometheus-net registry and the export of the Orleans and runtime meters.</summary>
public static class MetricsServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="CollectorRegistry"/> of this container (so two hosts in one process do not see each
    /// other's figures), <see cref="MeterExport"/> (Orleans' and the runtime's meters through prometheus-net's
    /// <see cref="MeterAdapter"/>) and every <c>*Instruments</c> class of <see cref="MetricsCatalog"/>, as singletons.
    /// </summary>
    /// <remarks><see cref="MetricsEndpointExtensions.MapPrometheusMetrics"/> creates them all when the endpoint is mapped.</remarks>
    public static IServiceCollection AddTickerMetrics(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMetrics();
        services.TryAddSingleton(static _ => Prometheus.Metrics.NewCustomRegistry());
        services.TryAddSingleton(static provider => new MeterExport(
            provider.GetRequiredService<CollectorRegistry>(), provider.GetRequiredService<IMeterFactory>()));
        AddInstruments(services, static registry => new TickInstruments(registry));
        AddInstruments(services, static registry => new GreeksInstruments(registry));
        AddInstruments(services, static registry => new BatchingInstruments(registry));
        AddInstruments(services, static registry => new RedisInstruments(registry));
        AddInstruments(services, static registry => new StreamInstruments(registry));
        AddInstruments(services, static registry => new ClusterInstruments(registry));
        AddInstruments(services, static registry => new KiteInstruments(registry));
        AddInstruments(services, static registry => new ProcessInstruments(registry));
        return services;
    }

    private static void AddInstruments<T>(IServiceCollection services, Func<CollectorRegistry, T> create)
        where T : class
        => services.TryAddSingleton(provider => create(provider.GetRequiredService<CollectorRegistry>()));
}
