namespace Ticker.Grains.Market;

/// <summary>
/// Tells a partition consumer whether this silo's pulling agent reads its partition's queue. A consumer whose queue
/// is read elsewhere (the queue moved after a join or leave) deactivates, so that agent's next delivery activates it
/// beside the agent. Without a registration every partition counts as read here (one silo, memory streams).
/// </summary>
public interface IPartitionLocality
{
    /// <summary>Whether the queue of <paramref name="partition"/> is read on this silo.</summary>
    bool IsReadHere(int partition);
}
