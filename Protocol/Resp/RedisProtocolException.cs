namespace Ticker.Protocol.Resp;

/// <summary>
/// The bytes received are not valid RESP2 (bad type byte, missing CRLF, negative or absurd length, integer
/// overflow), or a reply did not have the shape the caller expected. A malformed stream closes the connection,
/// which then reconnects; the commands in flight fail with a <see cref="RedisConnectionException"/> wrapping this.
/// </summary>
public sealed class RedisProtocolException : RedisException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was wrong with the input.</param>
    public RedisProtocolException(string message)
        : base(message)
    {
    }
}
