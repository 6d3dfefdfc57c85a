using System.Text.Json;

namespace Ticker.Tests.Silo.Cluster;

/// <summary>What one silo's <c>GET /api/cluster</c> said: the silos of the membership and the owner of every queue.</summary>
internal sealed record ClusterState(IReadOnlyList<ClusterSilo> Silos, IReadOnlyList<string?> QueueOwners)
{
    /// <summary>Parses the JSON body of <c>/api/cluster</c>.</summary>
    public static ClusterState Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var silos = new List<ClusterSilo>();
        foreach (var silo in document.RootElement.GetProperty("silos").EnumerateArray())
        {
            silos.Add(new ClusterSilo(
                silo.GetProperty("silo_id").GetString() ?? string.Empty,
                silo.GetProperty("status").GetString() ?? string.Empty,
                silo.GetProperty("live").GetBoolean(),
                [.. silo.GetProperty("queues").EnumerateArray().Select(q => q.GetInt32())]));
        }

        var owners = new List<string?>();
        foreach (var queue in document.RootElement.GetProperty("queues").EnumerateArray())
        {
            owners.Add(queue.GetProperty("owner").GetString());
        }

        return new ClusterState(silos, owners);
    }

    /// <summary>The queues the live silo <paramref name="name"/> pulls (none when it is not live).</summary>
    public IReadOnlyList<int> QueuesOf(string name) =>
        Silos.FirstOrDefault(s => s.Live && s.Name == name)?.Queues ?? [];

    /// <summary>
    /// Whether exactly <paramref name="silos"/> are live, every queue has one of them as its owner, and each owns
    /// between <paramref name="min"/> and <paramref name="max"/> queues.
    /// </summary>
    public bool IsSpreadOver(IReadOnlyCollection<string> silos, int min = 1, int max = int.MaxValue)
    {
        var live = Silos.Where(s => s.Live).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        return live.SetEquals(silos)
            && QueueOwners.Count > 0
            && QueueOwners.All(o => o is not null && live.Contains(o))
            && silos.All(name => QueuesOf(name).Count >= min && QueuesOf(name).Count <= max);
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Join(", ", Silos.Select(s => $"{s.Name}({s.Status}{(s.Live ? "" : ", not live")}): [{string.Join(',', s.Queues)}]"))
        + "; owners " + string.Join(' ', QueueOwners.Select((o, q) => $"{q}={o ?? "-"}"));
}
