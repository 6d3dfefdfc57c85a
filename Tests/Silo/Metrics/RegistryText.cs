using System.Text;
using Prometheus;

namespace Ticker.Tests.Silo.Metrics;

/// <summary>The text exposition of a prometheus-net registry, as the scrape endpoint serves it.</summary>
internal static class RegistryText
{
    public static async Task<string> RenderAsync(this CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static async Task<string[]> LinesAsync(this CollectorRegistry registry)
        => (await registry.RenderAsync()).Split('\n');

    /// <summary>The family names of the exposition (its TYPE lines), sorted.</summary>
    public static async Task<string[]> FamilyNamesAsync(this CollectorRegistry registry)
        => [.. (await registry.LinesAsync())
            .Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[2])
            .Order(StringComparer.Ordinal)];
}
