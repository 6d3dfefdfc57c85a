namespace Ticker.Protocol.Resp;

/// <summary>
/// The base of every failure the RESP client reports. Messages never contain a password or any other secret from
/// <see cref="RedisConnectionOptions"/>.
/// </summary>
public abstract class RedisException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    protected RedisException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
