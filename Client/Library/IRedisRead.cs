using Ticker.Protocol.Resp;

namespace Ticker.Client.Library;

/// <summary>
/// A read the client sends as one pipelined batch: it writes its commands (forgetting any earlier replies, so the
/// client can send it again after a reconnect) and collects their replies.
/// </summary>
internal interface IRedisRead : IRespReplyHandler
{
    /// <summary>Clears what earlier replies left and writes the commands into <paramref name="batch"/>.</summary>
    /// <param name="batch">An empty batch.</param>
    void Write(RedisBatch batch);
}
