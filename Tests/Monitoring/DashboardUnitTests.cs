using System.Text.Json;
using Ticker.Silo.Metrics;

namespace Ticker.Tests.Monitoring;

public sealed class DashboardUnitTests
{
    private static readonly string[] Rows = ["Overview", "Latency", "Batching", "Errors", "Business Metrics", "Cluster", "Capacity", "SLOs"];

    // The panels the Phase 4 report lists, by row.
    private static readonly Dictionary<string, string[]> ReportedPanels = new()
    {
        ["Overview"] = ["Tick Throughput", "Active Accounts", "Error Rate", "System Health", "Underlying Price"],
        ["Latency"] = ["Tick Processing Latency (P50, P95, P99)", "Batch Flush Latency (P95)", "Greeks Calculation Latency (P95, P99)"],
        ["Batching"] = ["Batch Size Distribution (P50, P95)", "Batches Flushed/sec", "Batch Fill Rate (%)", "Pending Batch Size"],
        ["Errors"] = ["Validation Errors by Type", "Processing Errors by Type", "Error Rate by Type", "Total Errors (Last Hour)"],
        ["Business Metrics"] = ["Underlying Ticks Processed", "Option Ticks Processed", "Greeks Calculations/sec", "Market Depth Updates"],

        // And the ones issue #13 asks for.
        ["Cluster"] = ["Silos Active", "Activations by Grain Type", "Orleans Messages/sec", "Stream Backlog per Queue", "Dead Letters, Trims and Takeovers"],
        ["Capacity"] = ["CPU per Tick", "Headroom"],
        ["SLOs"] = ["Availability (30d)", "Freshness (30d)", "Error Budget Remaining (30d)", "Availability Burn Rate", "Freshness Burn Rate"],
    };

    private readonly JsonElement _dashboard = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Dashboard)).RootElement;

    private IEnumerable<JsonElement> Panels => _dashboard.GetProperty("panels").EnumerateArray();

    private IEnumerable<JsonElement> Visible => Panels.Where(p => p.GetProperty("type").GetString() != "row");

    [Fact]
    public void Dashboard_is_importable_with_title_uid_and_schema_version()
    {
        Assert.Equal("Tick Processing", _dashboard.GetProperty("title").GetString());
        Assert.False(string.IsNullOrWhiteSpace(_dashboard.GetProperty("uid").GetString()));
        Assert.True(_dashboard.GetProperty("schemaVersion").GetInt32() >= 36);
        Assert.False(_dashboard.TryGetProperty("id", out var id) && id.ValueKind != JsonValueKind.Null, "an exported dashboard must not carry a database id");
    }

    [Fact]
    public void Templating_has_a_prometheus_datasource_and_an_instance_variable()
    {
        var variables = _dashboard.GetProperty("templating").GetProperty("list").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!);
        Assert.Equal("datasource", variables["datasource"].GetProperty("type").GetString());
        Assert.Equal("prometheus", variables["datasource"].GetProperty("query").GetString());
        Assert.Equal("query", variables["instance"].GetProperty("type").GetString());
        Assert.StartsWith("label_values(", variables["instance"].GetProperty("definition").GetString(), StringComparison.Ordinal);
        Assert.EndsWith(", instance)", variables["instance"].GetProperty("definition").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_plans_five_rows_and_the_cluster_capacity_and_slo_rows_hold_every_reported_panel()
    {
        Assert.Equal(Rows, Panels.Where(p => p.GetProperty("type").GetString() == "row").Select(p => p.GetProperty("title").GetString()));
        Assert.True(Visible.Count() >= 21 + 15, $"{Visible.Count()} panels");

        var byRow = PanelsByRow();
        foreach (var (row, titles) in ReportedPanels)
        {
            foreach (var title in titles)
            {
                Assert.Contains(title, byRow[row]);
            }
        }
    }

    [Fact]
    public void Panel_ids_are_unique()
    {
        var ids = Panels.Select(p => p.GetProperty("id").GetInt32()).ToArray();
        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public void Grid_positions_fit_the_24_column_grid_and_never_overlap()
    {
        var boxes = Panels.Select(p =>
        {
            var g = p.GetProperty("gridPos");
            return (Title: p.GetProperty("title").GetString(), X: g.GetProperty("x").GetInt32(), Y: g.GetProperty("y").GetInt32(), W: g.GetProperty("w").GetInt32(), H: g.GetProperty("h").GetInt32());
        }).ToArray();

        foreach (var box in boxes)
        {
            Assert.True(box.X >= 0 && box.W > 0 && box.H > 0 && box.X + box.W <= 24, $"{box.Title} does not fit the grid");
        }

        for (var i = 0; i < boxes.Length; i++)
        {
            for (var j = i + 1; j < boxes.Length; j++)
            {
                var (a, b) = (boxes[i], boxes[j]);
                var overlap = a.X < b.X + b.W && b.X < a.X + a.W && a.Y < b.Y + b.H && b.Y < a.Y + a.H;
                Assert.False(overlap, $"'{a.Title}' overlaps '{b.Title}'");
            }
        }
    }

    [Fact]
    public void Every_panel_has_a_query_a_unit_and_the_datasource_variable()
    {
        foreach (var panel in Visible)
        {
            var title = panel.GetProperty("title").GetString();
            var targets = panel.GetProperty("targets").EnumerateArray().ToArray();
            Assert.True(targets.Length > 0, $"{title} has no query");
            Assert.All(targets, t => Assert.False(string.IsNullOrWhiteSpace(t.GetProperty("expr").GetString()), $"{title} has an empty query"));
            Assert.Equal("${datasource}", panel.GetProperty("datasource").GetProperty("uid").GetString());
            Assert.Contains(panel.GetProperty("fieldConfig").GetProperty("defaults").GetProperty("unit").GetString(), new[] { "ops", "s", "percentunit", "short" });
        }
    }

    [Fact]
    public void Every_query_filters_by_the_job_and_instance_variables()
    {
        foreach (var query in DashboardQueries.Load())
        {
            // The SLO series are recorded for the whole service (by job): they have no instance to select.
            if (!query.Expr.Contains("slo:", StringComparison.Ordinal))
            {
                Assert.Contains("instance=~\"$instance\"", query.Expr, StringComparison.Ordinal);
            }

            Assert.Contains("job=~\"$job\"", query.Expr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Every_metric_a_query_uses_is_one_the_catalog_exports()
    {
        var exported = await ExportedMetricNames.GetAllAsync();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var query in DashboardQueries.Load())
        {
            var names = DashboardQueries.MetricNames(query.Expr);
            Assert.NotEmpty(names);
            foreach (var name in names)
            {
                Assert.True(exported.Contains(name), $"{query} uses '{name}', which the catalog does not export");
                used.Add(name);
            }
        }

        // And the dashboard's families are the catalog's, the Orleans and runtime families a scrape test checks on a
        // live silo, or the SLO rules' recorded series: nothing else.
        foreach (var name in used.Where(n => n != "up" && !ExportedMetricNames.OrleansAndRuntime.Contains(n) && !n.StartsWith("slo:", StringComparison.Ordinal)))
        {
            var family = StripHistogramSuffix(name);
            Assert.Contains(family, MetricsCatalog.MetricNames);
        }
    }

    [Fact]
    public async Task Every_alert_expression_uses_only_exported_metrics()
    {
        var exported = await ExportedMetricNames.GetAllAsync();
        foreach (var rule in AlertRuleFile.LoadAll())
        {
            foreach (var name in DashboardQueries.MetricNames(rule.Expr))
            {
                Assert.True(exported.Contains(name), $"alert {rule.Name} uses '{name}', which the catalog does not export");
            }
        }
    }

    [Fact]
    public void Metric_name_extraction_skips_functions_labels_keywords_and_variables()
    {
        var names = DashboardQueries.MetricNames(
            "histogram_quantile(0.99, sum by (le, batch_type) (rate(tick_batch_size_bucket{job=~\"$job\", reason=\"a b\"}[$__rate_interval]))) / on (instance) group_left up or vector(1e-06)");

        Assert.Equal(["tick_batch_size_bucket", "up"], names.Order(StringComparer.Ordinal));
    }

    private static string StripHistogramSuffix(string name)
    {
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && MetricsCatalog.MetricNames.Contains(name[..^suffix.Length]))
            {
                return name[..^suffix.Length];
            }
        }

        return name;
    }

    private Dictionary<string, List<string>> PanelsByRow()
    {
        var result = new Dictionary<string, List<string>>();
        var rows = Panels.Where(p => p.GetProperty("type").GetString() == "row")
            .Select(p => (Title: p.GetProperty("title").GetString()!, Y: p.GetProperty("gridPos").GetProperty("y").GetInt32()))
            .OrderBy(r => r.Y).ToArray();
        foreach (var panel in Visible)
        {
            var y = panel.GetProperty("gridPos").GetProperty("y").GetInt32();
            var row = rows.Last(r => r.Y < y).Title;
            if (!result.TryGetValue(row, out var titles))
            {
                result[row] = titles = [];
            }

            titles.Add(panel.GetProperty("title").GetString()!);
        }

        return result;
    }
}
