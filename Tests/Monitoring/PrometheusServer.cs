using System.Globalization;
using System.Net;
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
    private readonly ServerProcess _server;
    private readonly HttpClient _http;

    private PrometheusServer(ServerProcess server, Uri baseAddress)
    {
        _server = server;
        BaseAddress = baseAddress;
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Prometheus' base address.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The temporary directory holding the configuration and the TSDB.</summary>
    public string Directory => _server.Directory;

    /// <summary>What Prometheus wrote to stderr so far (for failure messages).</summary>
    public string Log => _server.Log;

    /// <summary>Starts Prometheus and waits until it is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(PrometheusServerOptions options)
    {
        var binary = ExternalTool.Find("prometheus");
        var directory = ServerProcess.CreateDirectory("ticker-prometheus-");
        var configPath = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(configPath, CreateConfig(options));

        var port = ServerProcess.FreePort();
        List<string> arguments =
        [
            "--config.file=" + configPath,
            "--storage.tsdb.path=" + Path.Combine(directory, "data"),
            "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
            "--log.level=warn",
        ];
        if (options.EnableLifecycle)
        {
            arguments.Add("--web.enable-lifecycle");
        }

        var process = ServerProcess.Start("Prometheus", binary, directory, arguments);
        var server = new PrometheusServer(process, new Uri($"http://127.0.0.1:{port}/"));
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
    public Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) => _server.WaitUntilAsync(condition, timeout, what);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
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
}
