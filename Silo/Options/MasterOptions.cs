namespace Ticker.Silo.Options;

/// <summary>Which instrument master to load. Section <c>Master</c>.</summary>
public sealed class MasterOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Master";

    /// <summary>A Kite instruments CSV; empty: the synthetic master of <see cref="Date"/>.</summary>
    public string? File { get; set; }

    /// <summary>The trading day of the synthetic master (default: today in India).</summary>
    public DateOnly? Date { get; set; }
}
