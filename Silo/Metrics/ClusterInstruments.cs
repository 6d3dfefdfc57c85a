using Prometheus;

namespace Ticker.Silo.Metrics;

/// <summary>Cluster metrics (prometheus-net): stream queues read here, live silos, silos declared dead.</summary>
public sealed class ClusterInstruments
{
    /// <summary>Gauge: stream queues (shards) this silo's pulling agents read.</summary>
    public const string ClusterOwnedShards = "cluster_owned_shards";

    /// <summary>Gauge: active silos in the cluster's membership, as this silo sees it.</summary>
    public const string ClusterLiveSilos = "cluster_live_silos";

    /// <summary>Counter: silos this silo saw declared dead in the cluster's membership (each silo counts each death once).</summary>
    public const string ClusterSilosDeclaredDeadTotal = "cluster_silos_declared_dead_total";

    private readonly Counter _declaredDead;
    private readonly Gauge _ownedShards;
    private readonly Gauge _liveSilos;

    /// <summary>Creates the metrics in <paramref name="registry"/>.</summary>
    public ClusterInstruments(CollectorRegistry registry)
    {
        var factory = MetricsCatalog.CreateFactory(registry);
        _ownedShards = factory.CreateGauge(ClusterOwnedShards, "Number of tick stream shards this silo owns.");
        _liveSilos = factory.CreateGauge(ClusterLiveSilos, "Number of live silos in the cluster, as this silo sees them.");
        _declaredDead = factory.CreateCounter(ClusterSilosDeclaredDeadTotal, "Total silos seen declared dead in the cluster membership.");
    }

    /// <summary>The metric names this class exports.</summary>
    public static IReadOnlyList<string> MetricNames { get; } = [ClusterOwnedShards, ClusterLiveSilos, ClusterSilosDeclaredDeadTotal];

    /// <summary>Sets the number of shards this silo owns.</summary>
    public void SetOwnedShards(int count) => _ownedShards.Set(count);

    /// <summary>Sets the number of live silos.</summary>
    public void SetLiveSilos(int count) => _liveSilos.Set(count);

    /// <summary>Records silos newly seen declared dead.</summary>
    public void RecordSilosDeclaredDead(int count) => _declaredDead.Inc(count);
}
