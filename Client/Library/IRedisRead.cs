using StackExchange.Redis;

namespace Ticker.Client.Library;

/// <summary>
/// A read the client sends as one pipelined batch: it queues its commands (forgetting any earlier results, so the
/// client can send it again after a reconnect) and collects their replies.
/// </summary>
internal interface IRedisRead
{
    /// <summary>Clears what earlier replies left and queues the commands on <paramref name="batch"/>.</summary>
    /// <param name="batch">A batch not yet executed.</param>
    /// <returns>Completes when every reply has arrived and been read; faults with the first error.</returns>
    Task QueueOn(IBatch batch);
}
