using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ticker.Tests.Monitoring;

/// <summary>
/// Grafana's dashboard import endpoint (<c>POST /api/dashboards/db</c>) as far as deploy.sh uses it: it records each
/// request's authorization header and body and answers as Grafana does, or with 401 for a wrong token.
/// </summary>
internal sealed class FakeGrafana : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeGrafana(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The base URL to pass as GRAFANA_URL.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The imports received: authorization header and body.</summary>
    public List<(string Authorization, string Body)> Imports { get; } = [];

    public static async Task<FakeGrafana> StartAsync(string acceptedToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeGrafana? self = null;
        app.MapPost("/api/dashboards/db", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var authorization = context.Request.Headers.Authorization.ToString();
            lock (self!.Imports)
            {
                self.Imports.Add((authorization, body));
            }

            return authorization == "Bearer " + acceptedToken
                ? Results.Json(new { id = 1, uid = "ticker-tick-processing", url = "/d/ticker-tick-processing/tick-processing", status = "success", version = 1 })
                : Results.Json(new { message = "invalid API key" }, statusCode: StatusCodes.Status401Unauthorized);
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        self = new FakeGrafana(app, address);
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
