namespace Ticker.Tests.Silo.Cluster;

/// <summary>One silo of <c>/api/cluster</c>: its id, membership status, whether it is live, and the queues it pulls.</summary>
internal sealed record ClusterSilo(string Name, string Status, bool Live, IReadOnlyList<int> Queues);
