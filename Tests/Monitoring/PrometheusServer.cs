using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Ticker.Tests.Monitoring;

/// <summary>
/// A real Prometheus (<c>/usr/bin/prometheus</c>) on a free loopback port, with a generated configuration that scrapes
/// the given targets (job <c>ticker</c>, every second) and loads the given rule files, and a client for its HTTP API.
/// Point it at a running silo with <c>StartAsync(new() { Targets = ["127.0.0.1:5080"] })</c>.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log;
    private readonly HttpClient _http;

    private PrometheusServer(Process process, StringBuilder log, Uri baseAddress, string directory)
    {
        _process = process;
        _log = log;
        BaseAddress = baseAddress;
        Directory = directory;
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Prometheus' base address.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The temporary directory holding the configuration and the TSDB.</summary>
    public string Directory { get; }

    /// <summary>What Prometheus wrote to stderr so far (for failure messages).</summary>
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

    /// <summary>Starts Prometheus and waits until it is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(PrometheusServerOptions options)
    {
        var binary = ExternalTool.Find("prometheus");
        var directory = Path.Combine(Path.GetTempPath(), "ticker-prometheus-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var configPath = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(configPath, CreateConfig(options));

        var port = FreePort();
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        start.ArgumentList.Add("--config.file=" + configPath);
        start.ArgumentList.Add("--storage.tsdb.path=" + Path.Combine(directory, "data"));
        start.ArgumentList.Add("--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--log.level=warn");
        if (options.EnableLifecycle)
        {
            start.ArgumentList.Add("--web.enable-lifecycle");
        }

        var log = new StringBuilder();
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start prometheus.");
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

        var server = new PrometheusServer(process, log, new Uri($"http://127.0.0.1:{port}/"), directory);
        try
        {
            await server.WaitUntilAsync(async () =>
            {
                using var response = await server._http.GetAsync(new Uri("-/ready", UriKind.Relative));
                return response.StatusCode == HttpStatusCode.OK;
            }, TimeSpan.FromSeconds(60), "Prometheus to become ready");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs an instant query; returns <c>data</c>, or throws with Prometheus' error.</summary>
    public async Task<JsonElement> QueryAsync(string expr)
    {
        using var content = new FormUrlEncodedContent([new KeyValuePair<string, string>("query", expr)]);
        using var response = await _http.PostAsync(new Uri("api/v1/query", UriKind.Relative), content);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        if (json.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"Query failed: {expr}\n{json}");
        }

        return json.GetProperty("data").Clone();
    }

    /// <summary>The number of series (or 1 for a scalar) an instant query returns.</summary>
    public async Task<int> CountResultsAsync(string expr)
    {
        var data = await QueryAsync(expr);
        var result = data.GetProperty("result");
        return result.ValueKind == JsonValueKind.Array && data.GetProperty("resultType").GetString() is "vector" or "matrix" ? result.GetArrayLength() : 1;
    }

    /// <summary>GETs an API path and returns its <c>data</c>.</summary>
    public async Task<JsonElement> GetDataAsync(string path)
    {
        var json = JsonDocument.Parse(await _http.GetStringAsync(new Uri(path, UriKind.Relative))).RootElement;
        return json.GetProperty("data").Clone();
    }

    /// <summary>Waits until every scraped target is up and has been scraped at least <paramref name="scrapes"/> times.</summary>
    public Task WaitForTargetsAsync(int scrapes = 3, TimeSpan? timeout = null)
        => WaitUntilAsync(
            async () => await CountResultsAsync($"count_over_time(up{{job=\"ticker\"}}[1m]) >= {scrapes}") > 0
                && await CountResultsAsync("up{job=\"ticker\"} == 0") == 0,
            timeout ?? TimeSpan.FromSeconds(60),
            "every target to be up and scraped");

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with Prometheus' log when it does not in time.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        Exception? last = null;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Prometheus exited ({_process.ExitCode}) while waiting for {what}:\n{Log}");
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

        throw new TimeoutException($"Timed out waiting for {what}. Last error: {last?.Message}\nPrometheus log:\n{Log}");
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

    private static string CreateConfig(PrometheusServerOptions options)
    {
        var text = new StringBuilder();
        text.AppendLine("global:");
        text.AppendLine("  scrape_interval: 1s");
        text.AppendLine("  scrape_timeout: 1s");
        text.AppendLine("  evaluation_interval: 1s");
        text.AppendLine("rule_files:");
        foreach (var file in options.RuleFiles)
        {
            text.Append("  - '").Append(file).AppendLine("'");
        }

        if (options.RuleFiles.Count == 0)
        {
            text.AppendLine("  []");
        }

        if (options.Alertmanagers.Count > 0)
        {
            text.AppendLine("alerting:");
            text.AppendLine("  alertmanagers:");
            text.AppendLine("    - static_configs:");
            text.Append("        - targets: [").AppendJoin(", ", options.Alertmanagers.Select(t => "'" + t + "'")).AppendLine("]");
        }

        text.AppendLine("scrape_configs:");
        text.AppendLine("  - job_name: ticker");
        text.AppendLine("    metrics_path: /metrics");
        text.AppendLine("    static_configs:");
        text.Append("      - targets: [").AppendJoin(", ", options.Targets.Select(t => "'" + t + "'")).AppendLine("]");
        return text.ToString();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
