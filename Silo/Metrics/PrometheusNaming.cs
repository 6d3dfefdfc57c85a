using System.Text;

namespace Ticker.Silo.Metrics;

/// <summary>Turns instrument names, units and tag keys into valid Prometheus names, and escapes text.</summary>
internal static class PrometheusNaming
{
    // Runtime gauges whose OpenTelemetry-style names end in "_count", a suffix Prometheus reserves for histograms and
    // summaries (promtool rejects it); renamed to what they count.
    private static readonly Dictionary<string, string> Renames = new(StringComparer.Ordinal)
    {
        ["dotnet.assembly.count"] = "dotnet_assemblies_loaded",
        ["dotnet.process.cpu.count"] = "dotnet_process_cpus",
        ["dotnet.thread_pool.thread.count"] = "dotnet_thread_pool_threads",
        ["dotnet.timer.count"] = "dotnet_timers_active",
    };

    /// <summary>
    /// The Prometheus family name of an instrument: characters outside <c>[a-zA-Z0-9_:]</c> become <c>_</c>, the unit's
    /// base-unit suffix is appended when the name does not already end in it, counters end in <c>_total</c>, and a gauge
    /// never ends in a histogram's sample suffix (<c>_count</c>, <c>_sum</c>, <c>_bucket</c>).
    /// Our own instruments are named exactly as Prometheus names them, so this changes nothing for them.
    /// </summary>
    public static string MetricName(string instrumentName, string? unit, PrometheusMetricType type)
    {
        if (type != PrometheusMetricType.Histogram && Renames.TryGetValue(instrumentName, out var renamed))
        {
            return renamed;
        }

        var name = Sanitize(instrumentName, allowColon: true);
        var suffix = UnitSuffix(unit);
        if (suffix is not null && !name.EndsWith("_" + suffix, StringComparison.Ordinal)
            && !name.EndsWith("_" + suffix + "_total", StringComparison.Ordinal))
        {
            name = name.EndsWith("_total", StringComparison.Ordinal) && type == PrometheusMetricType.Counter
                ? string.Concat(name.AsSpan(0, name.Length - "_total".Length), "_", suffix, "_total")
                : name + "_" + suffix;
        }

        if (type == PrometheusMetricType.Counter && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }
        else if (type == PrometheusMetricType.Gauge && (name.EndsWith("_count", StringComparison.Ordinal)
            || name.EndsWith("_sum", StringComparison.Ordinal) || name.EndsWith("_bucket", StringComparison.Ordinal)))
        {
            // Those suffixes name the samples of histograms and summaries; a gauge must not end in one.
            name += "_value";
        }

        return name;
    }

    /// <summary>A valid label name for a tag key (<c>gc.heap.generation</c> becomes <c>gc_heap_generation</c>).</summary>
    public static string LabelName(string key)
    {
        var name = Sanitize(key, allowColon: false);

        // Names starting with "__" are reserved for Prometheus; "le" and "quantile" belong to histograms and summaries.
        return name.StartsWith("__", StringComparison.Ordinal) || name is "le" or "quantile" ? "tag" + name : name;
    }

    /// <summary>The base-unit suffix for a UCUM unit, or null when the unit adds none (annotations such as <c>{tick}</c>).</summary>
    public static string? UnitSuffix(string? unit) => unit switch
    {
        "s" => "seconds",
        "By" => "bytes",
        "ms" => "milliseconds",
        "us" => "microseconds",
        "ns" => "nanoseconds",
        "m" => "meters",
        "V" => "volts",
        "A" => "amperes",
        "J" => "joules",
        "W" => "watts",
        "g" => "grams",
        "Cel" => "celsius",
        "Hz" => "hertz",
        _ => null,
    };

    /// <summary>Escapes a label value: backslash, double quote and line feed.</summary>
    public static string EscapeLabelValue(string value)
    {
        if (value.AsSpan().IndexOfAny('\\', '"', '\n') < 0)
        {
            return value;
        }

        var text = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '"' => text.Append("\\\""),
                '\n' => text.Append(@"\n"),
                _ => text.Append(c),
            };
        }

        return text.ToString();
    }

    /// <summary>Escapes HELP text: backslash and line feed.</summary>
    public static string EscapeHelp(string help)
    {
        if (help.AsSpan().IndexOfAny('\\', '\n') < 0)
        {
            return help;
        }

        return help.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal);
    }

    private static string Sanitize(string name, bool allowColon)
    {
        if (name.Length == 0)
        {
            return "_";
        }

        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(chars[i]) && chars[i] != '_' && !(allowColon && chars[i] == ':'))
            {
                chars[i] = '_';
            }
        }

        var text = new string(chars);
        return char.IsAsciiDigit(text[0]) ? "_" + text : text;
    }
}
