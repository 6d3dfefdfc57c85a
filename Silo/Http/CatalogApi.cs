using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Ticker.Grains.Instruments;

namespace Ticker.Silo.Http;

/// <summary>
/// What a silo offers, for the status page and other generic clients: the option expiries of an underlying and the
/// routes this process serves (so a client asks only for endpoints that exist, such as <c>/api/cluster</c>).
/// </summary>
public static class CatalogApi
{
    /// <summary>Maps <c>/api/expiries/{underlying}</c> and <c>/api/endpoints</c>.</summary>
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/expiries/{underlying}", GetExpiriesAsync);
        app.MapGet("/api/endpoints", GetEndpointsAsync);
        return app;
    }

    private static Task GetExpiriesAsync(HttpContext context, string underlying, InstrumentMaster master, TimeProvider time)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime.AddHours(5.5));
        var error = ChainQuery.TryResolve(master, underlying, null, today, out var index, out var nearest);
        if (error is not null)
        {
            return TickerApi.WriteErrorAsync(context, StatusCodes.Status404NotFound, error);
        }

        return TickerApi.WriteJsonAsync(context, json =>
        {
            json.WriteStartObject();
            json.WriteString("underlying", index!.TradingSymbol);
            json.WriteNumber("underlying_token", index.InstrumentToken);
            json.WriteString("nearest", Format(nearest));
            json.WriteStartArray("expiries");
            foreach (var expiry in master.Expiries(index.InstrumentToken))
            {
                json.WriteStringValue(Format(expiry));
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    private static Task GetEndpointsAsync(HttpContext context, EndpointDataSource endpoints)
    {
        var routes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints.Endpoints)
        {
            if (endpoint is RouteEndpoint { RoutePattern.RawText: { } raw })
            {
                routes.Add(raw.StartsWith('/') ? raw : "/" + raw);
            }
        }

        return TickerApi.WriteJsonAsync(context, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("endpoints");
            foreach (var route in routes)
            {
                json.WriteStringValue(route);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
