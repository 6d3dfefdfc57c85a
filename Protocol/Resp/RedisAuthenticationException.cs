namespace Ticker.Protocol.Resp;

/// <summary>
/// The server refused the credentials (or demanded some that were not configured) while the connection was being
/// set up. The message carries the server's reply (<c>WRONGPASS ...</c>, <c>NOAUTH ...</c>), never the password.
/// </summary>
public sealed class RedisAuthenticationException : RedisConnectionException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The server's error reply.</param>
    public RedisAuthenticationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
