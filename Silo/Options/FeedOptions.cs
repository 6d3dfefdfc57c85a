namespace Ticker.Silo.Options;

/// <summary>The synthetic feed's pace. Section <c>Feed</c>; the market model binds there too.</summary>
public sealed class FeedOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Feed";

    /// <summary>The default value for <see cref="Rate"/>: 20,000 ticks a second.</summary>
    public const double DefaultRate = 20_000;

    /// <summary>Ticks per second to offer; 0 means as fast as the silo takes them; 0 to 10,000,000.</summary>
    public double Rate { get; set; } = DefaultRate;
}
