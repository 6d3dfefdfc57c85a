using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace Ticker.Silo.Metrics;

/// <summary>Maps the Prometheus scrape endpoint.</summary>
public static class MetricsEndpointExtensions
{
    /// <summary>The default value for the scrape path.</summary>
    public const string DefaultPath = "/metrics";

    /// <summary>
    /// Maps <c>GET <paramref name="path"/></c> to prometheus-net's exposition of this host's registry. Requires
    /// <see cref="MetricsServiceCollectionExtensions.AddTickerMetrics"/>; creates the meter export and every
    /// <c>*Instruments</c> now, so that measurements are recorded from start-up on.
    /// </summary>
    public static IEndpointConventionBuilder MapPrometheusMetrics(this IEndpointRouteBuilder endpoints, string path = DefaultPath)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var registry = endpoints.ServiceProvider.GetRequiredService<CollectorRegistry>();
        _ = endpoints.ServiceProvider.GetRequiredService<MeterExport>();
        foreach (var type in MetricsCatalog.InstrumentsTypes)
        {
            _ = endpoints.ServiceProvider.GetRequiredService(type);
        }

        return endpoints.MapMetrics(path, registry);
    }
}
