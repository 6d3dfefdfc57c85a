namespace Ticker.Protocol.Resp;

/// <summary>
/// The connection could not be made, or was lost while the command was in flight. The command may or may not have
/// run on the server; callers that retry should make their writes idempotent.
/// </summary>
public class RedisConnectionException : RedisException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong (names the endpoint, never a secret).</param>
    /// <param name="innerException">The socket, TLS or protocol failure underneath, if any.</param>
    public RedisConnectionException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
