using System.Diagnostics.Metrics;
using Ticker.Silo.Metrics;

namespace Ticker.Tests.Silo.Metrics;

/// <summary>A meter of its own and an exporter of only that meter, so tests running in parallel do not see each other.</summary>
internal sealed class ExporterTestMeter : IDisposable
{
    public ExporterTestMeter(int maxSeriesPerMetric = 2000)
    {
        Meter = new Meter("Ticker.Tests." + Guid.NewGuid().ToString("N"));
        var meter = Meter;
        Exporter = new PrometheusExporter(m => ReferenceEquals(m, meter), maxSeriesPerMetric);
    }

    public Meter Meter { get; }

    public PrometheusExporter Exporter { get; }

    /// <summary>The exposition split into lines (without the trailing empty line).</summary>
    public string[] Lines()
    {
        var text = Exporter.Render();
        Assert.EndsWith("\n", text);
        return text[..^1].Split('\n');
    }

    public void Dispose()
    {
        Exporter.Dispose();
        Meter.Dispose();
    }
}
