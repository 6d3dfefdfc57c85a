using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ticker.Tests.Monitoring;

/// <summary>
/// The PromQL expressions of the Grafana dashboard and helpers to read them: the metric names an expression uses,
/// and the expression with Grafana's variables replaced so that Prometheus can run it.
/// </summary>
internal static partial class DashboardQueries
{
    private static readonly HashSet<string> Keywords =
    [
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan",
    ];

    /// <summary>Every panel target of the dashboard (rows excluded).</summary>
    public static IReadOnlyList<PanelQuery> Load(string? path = null)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path ?? RepositoryPaths.Dashboard));
        var queries = new List<PanelQuery>();
        foreach (var panel in document.RootElement.GetProperty("panels").EnumerateArray())
        {
            if (panel.GetProperty("type").GetString() == "row" || !panel.TryGetProperty("targets", out var targets))
            {
                continue;
            }

            foreach (var target in targets.EnumerateArray())
            {
                queries.Add(new PanelQuery(panel.GetProperty("title").GetString()!, target.GetProperty("refId").GetString()!, target.GetProperty("expr").GetString()!));
            }
        }

        return queries;
    }

    /// <summary>
    /// The metric names an expression selects: identifiers that are not functions, keywords, label names (inside
    /// braces or after by/without/on/ignoring), strings, durations or Grafana variables.
    /// </summary>
    public static IReadOnlySet<string> MetricNames(string expr)
    {
        var text = StringLiteral().Replace(expr, "\"\"");
        text = LabelMatchers().Replace(text, "{}");
        text = RangeSelector().Replace(text, "[]");
        text = Grouping().Replace(text, " ");
        text = Variable().Replace(text, " ");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in Identifier().Matches(text))
        {
            var rest = text.AsSpan(match.Index + match.Length).TrimStart();
            if (rest.StartsWith("(") || Keywords.Contains(match.Value))
            {
                continue; // a function call or a keyword
            }

            names.Add(match.Value);
        }

        return names;
    }

    /// <summary>The expression with Grafana's variables replaced by values Prometheus understands.</summary>
    public static string ForPrometheus(string expr, string rateInterval = "30s", string range = "5m")
        => expr.Replace("$__rate_interval", rateInterval, StringComparison.Ordinal)
            .Replace("$__range", range, StringComparison.Ordinal)
            .Replace("$__interval", "15s", StringComparison.Ordinal)
            .Replace("$capacity", "960000", StringComparison.Ordinal)
            .Replace("$job", ".+", StringComparison.Ordinal)
            .Replace("$instance", ".+", StringComparison.Ordinal);

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\[\]]*\]")]
    private static partial Regex RangeSelector();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\$\{?\w+\}?")]
    private static partial Regex Variable();

    [GeneratedRegex(@"(?<![\w.])[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();

    /// <summary>One target of one panel.</summary>
    internal sealed record PanelQuery(string Panel, string RefId, string Expr)
    {
        public override string ToString() => $"{Panel} [{RefId}]";
    }
}
