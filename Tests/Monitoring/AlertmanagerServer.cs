using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Ticker.Tests.Monitoring;

/// <summary>
/// A real Alertmanager (Debian's <c>prometheus-alertmanager</c>) on a free loopback port, without clustering, reading
/// its configuration from <see cref="ConfigPath"/> (a copy of the given file, by default monitoring/alertmanager.yml,
/// until deploy.sh installs one).
/// </summary>
internal sealed class AlertmanagerServer : IAsyncDisposable
{
    private readonly ServerProcess _server;
    private readonly HttpClient _http;

    private AlertmanagerServer(ServerProcess server, Uri baseAddress)
    {
        _server = server;
        BaseAddress = baseAddress;
        ConfigPath = Path.Combine(server.Directory, "alertmanager.yml");
        _http = new HttpClient { BaseAddress = baseAddress };
    }

    public Uri BaseAddress { get; }

    /// <summary>The <c>host:port</c> Prometheus sends alerts to.</summary>
    public string Target => $"{BaseAddress.Host}:{BaseAddress.Port}";

    public string Directory => _server.Directory;

    public string ConfigPath { get; }

    public string Log => _server.Log;

    public static async Task<AlertmanagerServer> StartAsync(string? config = null)
    {
        var binary = ExternalTool.Find("prometheus-alertmanager");
        var directory = ServerProcess.CreateDirectory("ticker-alertmanager-");
        var configPath = Path.Combine(directory, "alertmanager.yml");
        File.Copy(config ?? RepositoryPaths.AlertmanagerConfig, configPath);

        var port = ServerProcess.FreePort();
        var process = ServerProcess.Start("Alertmanager", binary, directory,
        [
            "--config.file=" + configPath,
            "--storage.path=" + Path.Combine(directory, "data"),
            "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
            "--cluster.listen-address=",
            "--log.level=warn",
        ]);
        var server = new AlertmanagerServer(process, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            await server.WaitUntilAsync(async () =>
            {
                using var response = await server._http.GetAsync(new Uri("-/ready", UriKind.Relative));
                return response.StatusCode == HttpStatusCode.OK;
            }, TimeSpan.FromSeconds(60), "Alertmanager to become ready");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The configuration Alertmanager runs with (its <c>/api/v2/status</c>), as YAML text.</summary>
    public async Task<string> GetLoadedConfigAsync()
        => JsonDocument.Parse(await _http.GetStringAsync(new Uri("api/v2/status", UriKind.Relative)))
            .RootElement.GetProperty("config").GetProperty("original").GetString()!;

    /// <summary>Posts alerts as Prometheus does (<c>POST /api/v2/alerts</c>), each given by its labels, firing now.</summary>
    public async Task PostAlertsAsync(params IReadOnlyDictionary<string, string>[] alerts)
    {
        var body = JsonSerializer.Serialize(alerts.Select(labels => new { labels, startsAt = DateTimeOffset.UtcNow.AddMinutes(-1) }));
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri("api/v2/alerts", UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The alerts Alertmanager holds: labels and the alerts that inhibit each.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, int InhibitedBy)>> GetAlertsAsync()
    {
        var alerts = JsonDocument.Parse(await _http.GetStringAsync(new Uri("api/v2/alerts", UriKind.Relative))).RootElement;
        return [.. alerts.EnumerateArray().Select(a => (
            (IReadOnlyDictionary<string, string>)a.GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            a.GetProperty("status").GetProperty("inhibitedBy").GetArrayLength()))];
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with Alertmanager's log when it does not in time.</summary>
    public Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) => _server.WaitUntilAsync(condition, timeout, what);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }
}
