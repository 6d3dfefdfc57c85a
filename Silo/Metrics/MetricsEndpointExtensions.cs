using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ticker.Silo.Metrics;

/// <summary>Maps the Prometheus scrape endpoint.</summary>
public static class MetricsEndpointExtensions
{
    /// <summary>The default value for the scrape path.</summary>
    public const string DefaultPath = "/metrics";

    /// <summary>
    /// Maps <c>GET <paramref name="path"/></c> to the exporter's text exposition (<see cref="PrometheusExporter.ContentType"/>).
    /// Requires <see cref="MetricsServiceCollectionExtensions.AddTickerMetrics"/>; creates the exporter and every
    /// <c>*Instruments</c> now, so that measurements are aggregated from start-up on.
    /// </summary>
    public static IEndpointConventionBuilder MapPrometheusMetrics(this IEndpointRouteBuilder endpoints, string path = DefaultPath)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var exporter = endpoints.ServiceProvider.GetRequiredService<PrometheusExporter>();
        foreach (var type in MetricsCatalog.InstrumentsTypes)
        {
            _ = endpoints.ServiceProvider.GetRequiredService(type);
        }

        return endpoints.MapGet(path, async context =>
        {
            context.Response.ContentType = PrometheusExporter.ContentType;
            context.Response.Headers.CacheControl = "no-store";
            exporter.WriteTo(context.Response.BodyWriter);
            await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        });
    }
}
