namespace Ticker.Silo.Cluster;

/// <summary>What this silo knows of the cluster at one moment: the live silos and who owns each shard.</summary>
/// <param name="Silos">The silos in the table, live ones first.</param>
/// <param name="Owners">The owner of each shard by index (null: not owned right now).</param>
/// <param name="Takeovers">Shards this silo has acquired since it started.</param>
public sealed record ClusterView(IReadOnlyList<SiloEntry> Silos, IReadOnlyList<string?> Owners, long Takeovers);

/// <summary>One row of the silo table.</summary>
/// <param name="SiloId">The silo's id.</param>
/// <param name="Address">Its HTTP address.</param>
/// <param name="HeartbeatMs">Its last heartbeat, Unix milliseconds (Redis server time).</param>
/// <param name="Live">Whether the heartbeat is recent enough.</param>
public sealed record SiloEntry(string SiloId, string Address, long HeartbeatMs, bool Live);
