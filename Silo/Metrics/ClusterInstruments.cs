using Prometheus;

namespace Ticker.Silo.Metrics;

/// <summary>Cluster metrics (prometheus-net): shards owned, live silos, silos declared dead, takeovers and lost leases.</summary>
public sealed class ClusterInstruments
{
    /// <summary>Gauge: shards whose lease this silo holds.</summary>
    public const string ClusterOwnedShards = "cluster_owned_shards";

    /// <summary>Gauge: silos with a fresh heartbeat in the silo table, as this silo sees it.</summary>
    public const string ClusterLiveSilos = "cluster_live_silos";

    /// <summary>Counter: shards this silo took over from a silo whose lease expired.</summary>
    public const string ClusterShardTakeoversTotal = "cluster_shard_takeovers_total";

    /// <summary>Counter: leases this silo failed to renew in time and so lost.</summary>
    public const string ClusterLeasesLostTotal = "cluster_leases_lost_total";

    /// <summary>Counter: silos this silo saw declared dead in the cluster's membership (each silo counts each death once).</summary>
    public const string ClusterSilosDeclaredDeadTotal = "cluster_silos_declared_dead_total";

    private readonly Counter _declaredDead;
    private readonly Counter _takeovers;
    private readonly Counter _leasesLost;
    private readonly Gauge _ownedShards;
    private readonly Gauge _liveSilos;

    /// <summary>Creates the metrics in <paramref name="registry"/>.</summary>
    public ClusterInstruments(CollectorRegistry registry)
    {
        var factory = MetricsCatalog.CreateFactory(registry);
        _ownedShards = factory.CreateGauge(ClusterOwnedShards, "Number of tick stream shards this silo owns.");
        _liveSilos = factory.CreateGauge(ClusterLiveSilos, "Number of live silos in the cluster, as this silo sees them.");
        _takeovers = factory.CreateCounter(ClusterShardTakeoversTotal, "Total shards taken over from silos whose lease expired.");
        _leasesLost = factory.CreateCounter(ClusterLeasesLostTotal, "Total shard leases this silo lost because it could not renew them in time.");
        _declaredDead = factory.CreateCounter(ClusterSilosDeclaredDeadTotal, "Total silos seen declared dead in the cluster membership.");
    }

    /// <summary>The metric names this class exports.</summary>
    public static IReadOnlyList<string> MetricNames { get; } = [ClusterOwnedShards, ClusterLiveSilos, ClusterShardTakeoversTotal, ClusterLeasesLostTotal, ClusterSilosDeclaredDeadTotal];

    /// <summary>Sets the number of shards this silo owns.</summary>
    public void SetOwnedShards(int count) => _ownedShards.Set(count);

    /// <summary>Sets the number of live silos.</summary>
    public void SetLiveSilos(int count) => _liveSilos.Set(count);

    /// <summary>Records a shard taken over.</summary>
    public void RecordTakeover() => _takeovers.Inc();

    /// <summary>Records a lease lost.</summary>
    public void RecordLeaseLost() => _leasesLost.Inc();

    /// <summary>Records silos newly seen declared dead.</summary>
    public void RecordSilosDeclaredDead(int count) => _declaredDead.Inc(count);
}
