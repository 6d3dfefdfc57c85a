using System.Collections.Concurrent;
using Orleans.Runtime;
using Orleans.Streams;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Streaming.Statistics;

namespace Ticker.Streaming.Adapters;

/// <summary>
/// Told by the pulling agent of one queue when it gave up delivering an entry (after its delivery time): Orleans then
/// drops the entry from its cache without handing it back, so it is never acknowledged. The queue's receiver takes
/// the ids from here, stops counting them as in flight and delivers them again from its pending list. Subscriptions
/// are never faulted.
/// </summary>
internal sealed class RedisTickDeliveryFailureHandler : IStreamFailureHandler
{
    private readonly ConcurrentQueue<StreamEntryId?> _failed = new();
    private readonly RedisTickStreamStatistics _statistics;

    /// <summary>Creates the handler of one queue.</summary>
    public RedisTickDeliveryFailureHandler(RedisTickStreamStatistics statistics) => _statistics = statistics;

    /// <inheritdoc />
    public bool ShouldFaultSubsriptionOnError => false;

    /// <inheritdoc />
    public Task OnDeliveryFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken)
    {
        // Without a token the entry is unknown, but it was one handed out: the receiver still stops counting one.
        _failed.Enqueue(sequenceToken is null ? null : new StreamEntryId(sequenceToken.SequenceNumber, sequenceToken.EventIndex));
        _statistics.OnDeliveryFailure();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task OnSubscriptionFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken) =>
        Task.CompletedTask;

    /// <summary>Takes one entry whose delivery failed (its id, when the agent gave its token), if any.</summary>
    public bool TryTake(out StreamEntryId? id) => _failed.TryDequeue(out id);
}
