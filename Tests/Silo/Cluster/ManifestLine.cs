using System.Text.Json;

namespace Ticker.Tests.Silo.Cluster;

/// <summary>One line of a feed's <c>--manifest</c> file: how many ticks the feed wrote for an instrument.</summary>
internal sealed record ManifestLine(uint Token, long Ticks)
{
    /// <summary>Reads every line of a manifest file.</summary>
    public static IReadOnlyList<ManifestLine> ReadAll(string path)
    {
        var lines = new List<ManifestLine>();
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var json = JsonDocument.Parse(line);
            lines.Add(new ManifestLine(json.RootElement.GetProperty("instrument_token").GetUInt32(), json.RootElement.GetProperty("ticks").GetInt64()));
        }

        return lines;
    }
}
