using Ticker.Tests.Silo.Metrics;

namespace Ticker.Tests.Monitoring;

/// <summary>
/// The sample names the silo exports, derived from the code: the catalog is recorded into and its registry
/// rendered, and every sample name of the exposition is collected (so histograms contribute their
/// <c>_bucket</c>, <c>_sum</c> and <c>_count</c>). <c>up</c> is added: Prometheus writes it for every target; so are
/// the Orleans and runtime families the monitoring uses and the series the recording rules write.
/// </summary>
internal static class ExportedMetricNames
{
    /// <summary>
    /// The families of Orleans' and the runtime's meters that the dashboard and the alerts use: not in the catalog
    /// (prometheus-net's MeterAdapter exports them from a running silo), so a scrape test checks a live silo has them.
    /// </summary>
    public static readonly IReadOnlyList<string> OrleansAndRuntime =
    [
        "microsoft_orleans_orleans_catalog_activations",
        "microsoft_orleans_orleans_grains",
        "microsoft_orleans_orleans_messaging_sent_local",
        "microsoft_orleans_orleans_messaging_processing_dispatcher_processed",
        "microsoft_orleans_orleans_streams_persistent_stream_pulling_agents",
        "microsoft_orleans_orleans_streams_queue_cache_length",
        "microsoft_orleans_orleans_streams_queue_messages_received",
        "system_runtime_dotnet_gc_pause_time",
    ];

    private static readonly Lazy<Task<IReadOnlySet<string>>> Names = new(CreateAsync);

    public static Task<IReadOnlySet<string>> GetAllAsync() => Names.Value;

    private static async Task<IReadOnlySet<string>> CreateAsync()
    {
        using var provider = CatalogRecorder.CreateProvider();
        var text = await CatalogRecorder.RecordEverything(provider).RenderAsync();
        var names = new HashSet<string>(OrleansAndRuntime, StringComparer.Ordinal) { "up" };
        names.UnionWith(RecordedNames());
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var end = line.IndexOfAny(['{', ' ']);
            names.Add(end < 0 ? line : line[..end]);
        }

        return names;
    }

    /// <summary>The series the recording rules write (<c>- record: name</c> in every rule file).</summary>
    private static IEnumerable<string> RecordedNames()
        => RepositoryPaths.RuleFiles.SelectMany(File.ReadLines)
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("- record:", StringComparison.Ordinal))
            .Select(line => line["- record:".Length..].Trim());
}
