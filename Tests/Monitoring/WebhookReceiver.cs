using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ticker.Tests.Monitoring;

/// <summary>
/// A local webhook receiver for Alertmanager (what an incident tool's webhook integration is): records every
/// notification posted to <c>/critical</c> and <c>/warning</c> with the path it arrived on.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<(string Path, JsonElement Body)> _notifications = [];

    private WebhookReceiver(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public Uri CriticalUrl => new(BaseAddress, "critical");

    public Uri WarningUrl => new(BaseAddress, "warning");

    /// <summary>The alerts received so far on <paramref name="path"/> (<c>/critical</c> or <c>/warning</c>): each alert's status and labels.</summary>
    public IReadOnlyList<(string Status, IReadOnlyDictionary<string, string> Labels)> AlertsOn(string path)
    {
        lock (_notifications)
        {
            return [.. _notifications
                .Where(n => n.Path == path)
                .SelectMany(n => n.Body.GetProperty("alerts").EnumerateArray())
                .Select(a => (
                    a.GetProperty("status").GetString()!,
                    (IReadOnlyDictionary<string, string>)a.GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)))];
        }
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        WebhookReceiver? self = null;
        app.MapPost("/{severity}", async (HttpContext context, string severity) =>
        {
            var body = await JsonDocument.ParseAsync(context.Request.Body);
            lock (self!._notifications)
            {
                self._notifications.Add(("/" + severity, body.RootElement.Clone()));
            }

            return Results.Ok();
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        self = new WebhookReceiver(app, address);
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
