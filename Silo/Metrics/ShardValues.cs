using System.Diagnostics.Metrics;
using System.Globalization;

namespace Ticker.Silo.Metrics;

/// <summary>
/// The latest value of a per-shard figure (stream lag, pending entries) for each shard this silo owns, read by an
/// observable gauge with a <c>shard</c> label. Set periodically by the shard workers, not per tick.
/// </summary>
internal sealed class ShardValues
{
    /// <summary>The label name.</summary>
    public const string ShardLabel = "shard";

    private static readonly string[] Labels = CreateLabels(256);

    private readonly Lock _lock = new();
    private readonly SortedDictionary<int, long> _values = [];

    /// <summary>Sets a shard's value.</summary>
    public void Set(int shard, long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        lock (_lock)
        {
            _values[shard] = value;
        }
    }

    /// <summary>Forgets a shard (after its lease is released), so its series disappears.</summary>
    public void Remove(int shard)
    {
        lock (_lock)
        {
            _values.Remove(shard);
        }
    }

    /// <summary>The measurements for an observable gauge, one per shard.</summary>
    public IEnumerable<Measurement<long>> Measurements()
    {
        lock (_lock)
        {
            var measurements = new Measurement<long>[_values.Count];
            var i = 0;
            foreach (var (shard, value) in _values)
            {
                var label = shard < Labels.Length ? Labels[shard] : shard.ToString(CultureInfo.InvariantCulture);
                measurements[i++] = new Measurement<long>(value, new KeyValuePair<string, object?>(ShardLabel, label));
            }

            return measurements;
        }
    }

    private static string[] CreateLabels(int count)
    {
        var labels = new string[count];
        for (var i = 0; i < count; i++)
        {
            labels[i] = i.ToString(CultureInfo.InvariantCulture);
        }

        return labels;
    }
}
