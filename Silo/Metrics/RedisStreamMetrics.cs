using Ticker.Streaming.Statistics;

namespace Ticker.Silo.Metrics;

/// <summary>
/// Carries the Redis tick stream provider's counters (<see cref="RedisTickStreamStatistics"/>, plain interlocked
/// numbers in Streaming/) into the stream metrics, as increments since the last call, once a second.
/// </summary>
internal sealed class RedisStreamMetrics
{
    private readonly RedisTickStreamStatistics _statistics;
    private readonly StreamInstruments _streams;
    private readonly Dictionary<int, (long DeadLettered, long Trimmed, long Takeovers)> _exported = [];
    private long _read;
    private long _acked;
    private long _claimed;

    /// <summary>Creates the exporter.</summary>
    public RedisStreamMetrics(RedisTickStreamStatistics statistics, StreamInstruments streams)
    {
        _statistics = statistics;
        _streams = streams;
    }

    /// <summary>Queues this silo reads now.</summary>
    public int QueuesOwned => (int)_statistics.QueuesOwned;

    /// <summary>Adds what the counters gained since the last call.</summary>
    public void Export()
    {
        _streams.RecordRead((int)Advance(ref _read, _statistics.EntriesRead));
        _streams.RecordAcked((int)Advance(ref _acked, _statistics.EntriesAcked));
        _streams.RecordClaimed((int)Advance(ref _claimed, _statistics.EntriesClaimed));
        foreach (var (queue, counts) in _statistics.PerQueue)
        {
            var now = (Volatile.Read(ref counts.DeadLettered), Volatile.Read(ref counts.Trimmed), Volatile.Read(ref counts.Takeovers));
            _exported.TryGetValue(queue, out var before);
            _streams.RecordDeadLettered(queue, now.Item1 - before.DeadLettered);
            _streams.RecordTrimmed(queue, now.Item2 - before.Trimmed);
            for (var i = before.Takeovers; i < now.Item3; i++)
            {
                _streams.RecordQueueTakeover(queue);
            }

            _exported[queue] = now;
        }
    }

    private static long Advance(ref long exported, long now)
    {
        var delta = now - exported;
        exported = now;
        return delta;
    }
}
