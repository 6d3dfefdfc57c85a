namespace Ticker.Silo.Membership;

/// <summary>The cluster at one moment: its silos and which silo pulls each stream queue.</summary>
/// <param name="Silos">The silos Orleans' membership lists, active ones first.</param>
/// <param name="QueueOwners">The name of the silo pulling each queue, by queue index (null: nobody right now).</param>
public sealed record ClusterView(IReadOnlyList<SiloEntry> Silos, IReadOnlyList<string?> QueueOwners);

/// <summary>One silo of Orleans' membership.</summary>
/// <param name="Name">Its name (<c>Silo:SiloId</c>, <c>--silo-id</c>).</param>
/// <param name="Address">Its Orleans silo address (IP:port@generation).</param>
/// <param name="Status">Its membership status (Active, Joining, ShuttingDown, Dead, …).</param>
/// <param name="HeartbeatMs">When it last wrote "I am alive" to the membership table, Unix milliseconds.</param>
/// <param name="Live">Whether it is Active.</param>
public sealed record SiloEntry(string Name, string Address, string Status, long HeartbeatMs, bool Live);
