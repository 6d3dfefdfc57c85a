using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Ticker.Silo.LoadTest;

/// <summary>Writes summary.json, summary.md and per-scenario SVG charts (throughput, latency, RSS over time).</summary>
internal static class LoadTestReport
{
    /// <summary>Writes the report into <paramref name="directory"/>.</summary>
    public static void Write(string directory, IReadOnlyList<ScenarioResult> results, LoadTestMode mode)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "summary.json"), Json(results, mode));
        File.WriteAllText(Path.Combine(directory, "summary.md"), Markdown(results, mode));
        foreach (var r in results)
        {
            var t = r.Samples.Select(static s => s.Seconds).ToArray();
            File.WriteAllText(Path.Combine(directory, r.Scenario + ".throughput.svg"), Chart($"{r.Scenario}: silo ticks/s", "ticks/s", t, [("ticks/s", "#1f77b4", r.Samples.Select(static s => s.TicksPerSecond).ToArray())]));
            File.WriteAllText(Path.Combine(directory, r.Scenario + ".latency.svg"), Chart($"{r.Scenario}: end-to-end latency per second", "ms", t,
                [("p50", "#2ca02c", r.Samples.Select(static s => s.P50Ms).ToArray()), ("p99", "#ff7f0e", r.Samples.Select(static s => s.P99Ms).ToArray()), ("max", "#d62728", r.Samples.Select(static s => s.MaxMs).ToArray())]));
            File.WriteAllText(Path.Combine(directory, r.Scenario + ".rss.svg"), Chart($"{r.Scenario}: silo RSS", "MB", t, [("rss", "#9467bd", r.Samples.Select(static s => s.RssMb).ToArray())]));
        }
    }

    /// <summary>The summary.json text.</summary>
    public static string Json(IReadOnlyList<ScenarioResult> results, LoadTestMode mode)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartObject("machine");
            w.WriteNumber("cores", Environment.ProcessorCount);
            w.WriteString("cpu", CpuModel());
            w.WriteString("os", RuntimeInformation.OSDescription);
            w.WriteString("dotnet", RuntimeInformation.FrameworkDescription);
            w.WriteString("mode", mode.ToString().ToLowerInvariant());
            w.WriteString("at", TimeProvider.System.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            w.WriteEndObject();
            w.WriteStartArray("scenarios");
            foreach (var r in results)
            {
                w.WriteStartObject();
                w.WriteString("scenario", r.Scenario);
                w.WriteNumber("ticks_offered", r.TicksOffered);
                w.WriteNumber("ticks_accounted", r.TicksAccounted);
                Number(w, "ticks_per_s", r.TicksPerSecond);
                Number(w, "p50_ms", r.P50Ms);
                Number(w, "p95_ms", r.P95Ms);
                Number(w, "p99_ms", r.P99Ms);
                Number(w, "max_ms", r.MaxMs);
                Number(w, "peak_rss_mb", r.PeakRssMb);
                Number(w, "drain_s", r.DrainSeconds);
                foreach (var (key, value) in r.Extra)
                {
                    Number(w, key, value);
                }

                foreach (var (key, value) in r.Notes)
                {
                    w.WriteString(key, value);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Number(Utf8JsonWriter w, string name, double value) => w.WriteNumber(name, double.IsFinite(value) ? Math.Round(value, 4) : 0);

    private static string Markdown(IReadOnlyList<ScenarioResult> results, LoadTestMode mode)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"# Load test ({mode.ToString().ToLowerInvariant()} mode, {Environment.ProcessorCount} cores, {CpuModel()})\n\n");
        sb.Append("| scenario | silo flags | offered | accounted | ticks/s | p50 ms | p95 ms | p99 ms | max ms | peak RSS MB | drain s | silo/redis/feed cores | bottleneck |\n");
        sb.Append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        foreach (var r in results)
        {
            var redis = r.Extra.TryGetValue("redis_cpu_cores", out var rc) ? rc.ToString("F2", inv) : "?";
            sb.Append(inv, $"| {r.Scenario} | {r.Notes["silo_flags"]}{(r.Notes["greeks"] == "off" ? ", Greeks off" : "")} | {r.TicksOffered} | {r.TicksAccounted} | {r.TicksPerSecond:F0} | {r.P50Ms:F2} | {r.P95Ms:F2} | {r.P99Ms:F2} | {r.MaxMs:F2} | {r.PeakRssMb:F0} | {r.DrainSeconds:F2} | {r.Extra["silo_cpu_cores"]:F2}/{redis}/{r.Extra["feed_cpu_cores"]:F2} | {r.Notes["bottleneck"]} |\n");
        }

        sb.Append("\nScenario-specific figures:\n\n");
        foreach (var r in results)
        {
            foreach (var key in new[] { "rss_drift_pct", "p99_drift_ms", "greeks_ns_per_tick", "ratio_on_vs_off", "ratio_conflate_vs_off", "silo_cpu_ns_per_tick" })
            {
                if (r.Extra.TryGetValue(key, out var v))
                {
                    sb.Append(inv, $"- {r.Scenario}: {key} = {v:F2}\n");
                }
            }
        }

        return sb.ToString();
    }

    private static string Chart(string title, string unit, double[] x, (string Name, string Color, double[] Y)[] series)
    {
        const double W = 640, H = 320, L = 70, R = 20, T = 30, B = 40;
        var inv = CultureInfo.InvariantCulture;
        var xMax = x.Length == 0 ? 1 : Math.Max(1, x.Max());
        var yMax = 0.0;
        foreach (var s in series)
        {
            foreach (var y in s.Y)
            {
                yMax = Math.Max(yMax, double.IsFinite(y) ? y : 0);
            }
        }

        yMax = yMax <= 0 ? 1 : yMax * 1.1;
        var sb = new StringBuilder();
        sb.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        sb.Append(inv, $"<rect width=\"{W}\" height=\"{H}\" fill=\"white\"/>\n<text x=\"{W / 2}\" y=\"18\" text-anchor=\"middle\" font-size=\"13\">{Escape(title)}</text>\n");
        sb.Append(inv, $"<line x1=\"{L}\" y1=\"{H - B}\" x2=\"{W - R}\" y2=\"{H - B}\" stroke=\"black\"/>\n<line x1=\"{L}\" y1=\"{T}\" x2=\"{L}\" y2=\"{H - B}\" stroke=\"black\"/>\n");
        for (var i = 0; i <= 4; i++)
        {
            var y = H - B - (i * (H - T - B) / 4);
            sb.Append(inv, $"<text x=\"{L - 4}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{yMax * i / 4:G4}</text>\n");
            var xx = L + (i * (W - L - R) / 4);
            sb.Append(inv, $"<text x=\"{xx:F1}\" y=\"{H - B + 14}\" text-anchor=\"middle\">{xMax * i / 4:F1}</text>\n");
        }

        sb.Append(inv, $"<text x=\"{(W + L) / 2}\" y=\"{H - 8}\" text-anchor=\"middle\">seconds</text>\n<text x=\"14\" y=\"{(H - B + T) / 2}\" transform=\"rotate(-90 14 {(H - B + T) / 2})\" text-anchor=\"middle\">{Escape(unit)}</text>\n");
        var legendX = L + 10.0;
        foreach (var (name, color, ys) in series)
        {
            sb.Append(inv, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" points=\"");
            for (var i = 0; i < Math.Min(x.Length, ys.Length); i++)
            {
                var px = L + (x[i] / xMax * (W - L - R));
                var py = H - B - ((double.IsFinite(ys[i]) ? ys[i] : 0) / yMax * (H - T - B));
                sb.Append(inv, $"{px:F1},{py:F1} ");
            }

            sb.Append("\"/>\n");
            sb.Append(inv, $"<text x=\"{legendX:F0}\" y=\"{T + 12}\" fill=\"{color}\">{Escape(name)}</text>\n");
            legendX += 60;
        }

        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string CpuModel()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal))
                {
                    return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }

        return "unknown";
    }
}
