namespace Ticker.Silo.Cluster;

/// <summary>Settings of cluster membership and shard leases (Redis transport). Section <c>Cluster</c>.</summary>
public sealed class ClusterOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Cluster";

    /// <summary>The default value for <see cref="LeasePeriod"/>: 5 seconds.</summary>
    public static readonly TimeSpan DefaultLeasePeriod = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a shard lease lasts unless renewed (renewed every third of it). A dead silo's shards move after at most
    /// about one lease period; 1 s to 5 min.
    /// </summary>
    public TimeSpan LeasePeriod { get; set; } = DefaultLeasePeriod;
}
