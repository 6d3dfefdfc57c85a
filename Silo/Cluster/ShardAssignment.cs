using System.Text;

namespace Ticker.Silo.Cluster;

/// <summary>
/// Which live silo should own each shard. Every silo computes the same answer from the same member list: each shard
/// ranks the silos by rendezvous (highest random weight) hashing and goes to the best-ranked silo that still has room,
/// a silo taking ⌊shards / silos⌋ or one more. So shards are spread evenly (counts differ by at most one) and a join or
/// leave moves few of them.
/// </summary>
public static class ShardAssignment
{
    /// <summary>The owner of every shard (index: shard); empty owners when there are no silos.</summary>
    public static string?[] Assign(int shardCount, IReadOnlyList<string> silos)
    {
        var owners = new string?[shardCount];
        if (silos.Count == 0)
        {
            return owners;
        }

        var ordered = silos.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        // Every silo takes ⌊shards / silos⌋; the first (shards mod silos) to fill up may take one more.
        var floor = shardCount / ordered.Length;
        var extra = shardCount % ordered.Length;
        var load = new int[ordered.Length];
        var ranking = new int[ordered.Length];
        for (var shard = 0; shard < shardCount; shard++)
        {
            for (var i = 0; i < ranking.Length; i++)
            {
                ranking[i] = i;
            }

            var current = shard;
            Array.Sort(ranking, (a, b) => Weight(ordered[b], current).CompareTo(Weight(ordered[a], current)));
            foreach (var candidate in ranking)
            {
                var room = load[candidate] < floor || (load[candidate] == floor && extra > 0);
                if (!room)
                {
                    continue;
                }

                if (load[candidate] == floor)
                {
                    extra--;
                }

                owners[shard] = ordered[candidate];
                load[candidate]++;
                break;
            }
        }

        return owners;
    }

    /// <summary>FNV-1a over the silo id's UTF-8 bytes, then the shard mixed in with SplitMix64's finaliser.</summary>
    private static ulong Weight(string silo, int shard)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(silo))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        var z = hash + ((ulong)(uint)shard * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
