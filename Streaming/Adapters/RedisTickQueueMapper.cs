using System.Buffers.Text;
using Orleans.Runtime;
using Orleans.Streams;

namespace Ticker.Streaming.Adapters;

/// <summary>
/// Maps streams to the provider's N queues. A tick stream's key is its partition number, already a hash of the
/// instrument token, so partition p goes to queue p % N exactly (Orleans' hash ring would put several partitions on
/// one queue and leave others empty). A key that is not an integer falls back to its uniform hash. The queues sit at
/// even points of the ring, so Orleans' consistent-ring balancer spreads them over the silos.
/// </summary>
public sealed class RedisTickQueueMapper : IConsistentRingStreamQueueMapper
{
    private readonly QueueId[] _queues;

    /// <summary>Creates the mapper of <paramref name="queueCount"/> queues named after <paramref name="providerName"/>.</summary>
    public RedisTickQueueMapper(string providerName, int queueCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queueCount, 1);
        _queues = new QueueId[queueCount];
        var portion = queueCount == 1 ? 0 : (uint)((1L << 32) / queueCount);
        for (var i = 0; i < queueCount; i++)
        {
            _queues[i] = QueueId.GetQueueId(providerName, (uint)i, portion * (uint)i);
        }
    }

    /// <summary>How many queues there are.</summary>
    public int QueueCount => _queues.Length;

    /// <inheritdoc />
    public IEnumerable<QueueId> GetAllQueues() => _queues;

    /// <inheritdoc />
    public QueueId GetQueueForStream(StreamId streamId) => _queues[QueueIndexOf(streamId)];

    /// <inheritdoc />
    public IEnumerable<QueueId> GetQueuesForRange(IRingRange range)
    {
        List<QueueId> inRange = [];
        foreach (var queue in _queues)
        {
            if (range.InRange(queue.GetUniformHashCode()))
            {
                inRange.Add(queue);
            }
        }

        return inRange;
    }

    /// <summary>The index (0 … N-1) of the queue that carries <paramref name="streamId"/>.</summary>
    public int QueueIndexOf(StreamId streamId)
    {
        var key = streamId.Key.Span;
        if (Utf8Parser.TryParse(key, out long partition, out var consumed) && consumed == key.Length)
        {
            var index = partition % _queues.Length;
            return (int)(index < 0 ? index + _queues.Length : index);
        }

        // StreamId's hash code is Orleans' uniform hash of the id.
        return (int)((uint)streamId.GetHashCode() % (uint)_queues.Length);
    }
}
