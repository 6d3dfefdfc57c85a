using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
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
    private readonly Process _process;
    private readonly StringBuilder _log;
    private readonly HttpClient _http;

    private AlertmanagerServer(Process process, StringBuilder log, Uri baseAddress, string directory)
    {
        _process = process;
        _log = log;
        BaseAddress = baseAddress;
        Directory = directory;
        ConfigPath = Path.Combine(directory, "alertmanager.yml");
        _http = new HttpClient { BaseAddress = baseAddress };
    }

    public Uri BaseAddress { get; }

    /// <summary>The <c>host:port</c> Prometheus sends alerts to.</summary>
    public string Target => $"{BaseAddress.Host}:{BaseAddress.Port}";

    public string Directory { get; }

    public string ConfigPath { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<AlertmanagerServer> StartAsync(string? config = null)
    {
        var binary = ExternalTool.Find("prometheus-alertmanager");
        var directory = Path.Combine(Path.GetTempPath(), "ticker-alertmanager-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var configPath = Path.Combine(directory, "alertmanager.yml");
        File.Copy(config ?? RepositoryPaths.AlertmanagerConfig, configPath);

        var port = FreePort();
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        start.ArgumentList.Add("--config.file=" + configPath);
        start.ArgumentList.Add("--storage.path=" + Path.Combine(directory, "data"));
        start.ArgumentList.Add("--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--cluster.listen-address=");
        start.ArgumentList.Add("--log.level=warn");

        var log = new StringBuilder();
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start prometheus-alertmanager.");
        process.ErrorDataReceived += (_, e) =>
        {
            lock (log)
            {
                log.AppendLine(e.Data);
            }
        };
        process.OutputDataReceived += (_, e) =>
        {
            lock (log)
            {
                log.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        var server = new AlertmanagerServer(process, log, new Uri($"http://127.0.0.1:{port}/"), directory);
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
    public async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        Exception? last = null;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Alertmanager exited ({_process.ExitCode}) while waiting for {what}:\n{Log}");
            }

            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException ex)
            {
                last = ex;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Timed out waiting for {what}. Last error: {last?.Message}\nAlertmanager log:\n{Log}");
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is not worth failing a test over.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
