using Ticker.Tests.Silo.Metrics;

namespace Ticker.Tests.Monitoring;

/// <summary>
/// The sample names the silo exports, derived from the code: the catalog is recorded into and its registry
/// rendered, and every sample name of the exposition is collected (so histograms contribute their
/// <c>_bucket</c>, <c>_sum</c> and <c>_count</c>). <c>up</c> is added: Prometheus writes it for every target.
/// </summary>
internal static class ExportedMetricNames
{
    private static readonly Lazy<Task<IReadOnlySet<string>>> Names = new(CreateAsync);

    public static Task<IReadOnlySet<string>> GetAllAsync() => Names.Value;

    private static async Task<IReadOnlySet<string>> CreateAsync()
    {
        using var provider = CatalogRecorder.CreateProvider();
        var text = await CatalogRecorder.RecordEverything(provider).RenderAsync();
        var names = new HashSet<string>(StringComparer.Ordinal) { "up" };
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
}
