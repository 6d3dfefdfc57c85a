namespace Ticker.Protocol.Resp;

/// <summary>
/// A command (or a whole batch) did not get all of its replies within the command timeout, or a connection could
/// not be made within the connect timeout. A command that timed out may still run on the server; its late replies
/// are read and discarded, so the connection stays usable.
/// </summary>
public sealed class RedisTimeoutException : RedisException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What timed out and after how long.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public RedisTimeoutException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
