using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ticker.Silo.Metrics;

/// <summary>Registers the metric catalog and the Prometheus exporter.</summary>
public static class MetricsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IMeterFactory"/>, the <see cref="PrometheusExporter"/> and every <c>*Instruments</c> class
    /// of <see cref="MetricsCatalog"/> as singletons. The exporter exports the meters this container's factory creates
    /// (so two hosts in one process do not see each other's figures) and the runtime's <c>System.Runtime</c> meter.
    /// </summary>
    /// <remarks>
    /// Each <c>*Instruments</c> is created after the exporter, so the zeros it records for its known label sets are
    /// seen. <see cref="MetricsEndpointExtensions.MapPrometheusMetrics"/> creates them all when the endpoint is mapped.
    /// </remarks>
    public static IServiceCollection AddTickerMetrics(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMetrics();
        services.TryAddSingleton(static provider =>
        {
            var factory = provider.GetRequiredService<IMeterFactory>();
            return new PrometheusExporter(meter => meter.Name == PrometheusExporter.RuntimeMeterName
                || (ReferenceEquals(meter.Scope, factory) && meter.Name.StartsWith(PrometheusExporter.TickerMeterPrefix, StringComparison.Ordinal)));
        });
        AddInstruments(services, static factory => new TickInstruments(factory));
        AddInstruments(services, static factory => new GreeksInstruments(factory));
        AddInstruments(services, static factory => new BatchingInstruments(factory));
        AddInstruments(services, static factory => new RedisInstruments(factory));
        AddInstruments(services, static factory => new StreamInstruments(factory));
        AddInstruments(services, static factory => new ClusterInstruments(factory));
        AddInstruments(services, static factory => new KiteInstruments(factory));
        AddInstruments(services, static factory => new ProcessInstruments(factory));
        return services;
    }

    private static void AddInstruments<T>(IServiceCollection services, Func<IMeterFactory, T> create)
        where T : class
        => services.TryAddSingleton(provider =>
        {
            _ = provider.GetRequiredService<PrometheusExporter>();
            return create(provider.GetRequiredService<IMeterFactory>());
        });
}
