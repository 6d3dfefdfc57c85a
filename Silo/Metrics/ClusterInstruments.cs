using System.Diagnostics.Metrics;

namespace Ticker.Silo.Metrics;

/// <summary>Cluster metrics (meter <see cref="MeterName"/>): shards owned, live silos, takeovers and lost leases.</summary>
public sealed class ClusterInstruments
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Ticker.Cluster";

    /// <summary>Gauge: shards whose lease this silo holds.</summary>
    public const string ClusterOwnedShards = "cluster_owned_shards";

    /// <summary>Gauge: silos with a fresh heartbeat in the silo table, as this silo sees it.</summary>
    public const string ClusterLiveSilos = "cluster_live_silos";

    /// <summary>Counter: shards this silo took over from a silo whose lease expired.</summary>
    public const string ClusterShardTakeoversTotal = "cluster_shard_takeovers_total";

    /// <summary>Counter: leases this silo failed to renew in time and so lost.</summary>
    public const string ClusterLeasesLostTotal = "cluster_leases_lost_total";

    private readonly Counter<long> _takeovers;
    private readonly Counter<long> _leasesLost;
    private int _ownedShards;
    private int _liveSilos;

    /// <summary>Creates the instruments on the meter <see cref="MeterName"/> of <paramref name="meterFactory"/>.</summary>
    public ClusterInstruments(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge(ClusterOwnedShards, () => Volatile.Read(ref _ownedShards), "{shard}", "Number of tick stream shards this silo owns.");
        meter.CreateObservableGauge(ClusterLiveSilos, () => Volatile.Read(ref _liveSilos), "{silo}", "Number of live silos in the cluster, as this silo sees them.");
        _takeovers = meter.CreateCounter<long>(ClusterShardTakeoversTotal, "{shard}", "Total shards taken over from silos whose lease expired.");
        _leasesLost = meter.CreateCounter<long>(ClusterLeasesLostTotal, "{lease}", "Total shard leases this silo lost because it could not renew them in time.");
        _takeovers.Add(0);
        _leasesLost.Add(0);
    }

    /// <summary>The metric names this class exports.</summary>
    public static IReadOnlyList<string> MetricNames { get; } = [ClusterOwnedShards, ClusterLiveSilos, ClusterShardTakeoversTotal, ClusterLeasesLostTotal];

    /// <summary>Sets the number of shards this silo owns.</summary>
    public void SetOwnedShards(int count) => Volatile.Write(ref _ownedShards, count);

    /// <summary>Sets the number of live silos.</summary>
    public void SetLiveSilos(int count) => Volatile.Write(ref _liveSilos, count);

    /// <summary>Records a shard taken over.</summary>
    public void RecordTakeover() => _takeovers.Add(1);

    /// <summary>Records a lease lost.</summary>
    public void RecordLeaseLost() => _leasesLost.Add(1);
}
