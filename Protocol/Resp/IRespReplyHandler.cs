namespace Ticker.Protocol.Resp;

/// <summary>
/// Receives the replies of a batch, one call per command, in the order the commands were written, on the
/// connection's reader loop. Implementations parse what they need from the <see cref="RespReader"/> (which reads
/// one complete reply frame) and must not block: every other reply on the connection waits meanwhile.
/// </summary>
/// <remarks>
/// Error replies are delivered too (<see cref="RespReader.Type"/> is <see cref="RespType.Error"/> after the first
/// <see cref="RespReader.Read"/>); the handler decides what they mean. If the handler throws, the remaining
/// replies are still read (and still delivered) and the first exception is rethrown from
/// <see cref="RedisConnection.ExecuteAsync(RedisBatch, IRespReplyHandler?, CancellationToken)"/>. Once the batch
/// has timed out or been cancelled, its late replies are discarded without calling the handler.
/// </remarks>
public interface IRespReplyHandler
{
    /// <summary>Handles the reply to the command at <paramref name="index"/> within its batch.</summary>
    /// <param name="index">The command's position in the batch, from 0.</param>
    /// <param name="reply">A reader over the complete reply, positioned before its first value.</param>
    void OnReply(int index, RespReader reply);
}
