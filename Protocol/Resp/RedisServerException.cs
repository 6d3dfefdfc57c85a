namespace Ticker.Protocol.Resp;

/// <summary>
/// The server answered a command with an error reply (for example <c>WRONGTYPE Operation against a key holding the
/// wrong kind of value</c>). The connection is healthy; only the command failed.
/// </summary>
public sealed class RedisServerException : RedisException
{
    /// <summary>Creates the exception from the server's error text.</summary>
    /// <param name="message">The error reply without its leading <c>-</c>, exactly as the server sent it.</param>
    /// <param name="errorCount">How many replies of the batch were errors (this one is the first).</param>
    public RedisServerException(string message, int errorCount = 1)
        : base(message)
    {
        ErrorCount = errorCount;
    }

    /// <summary>
    /// The error code: the first word of the message when it is upper case (<c>WRONGTYPE</c>, <c>ERR</c>,
    /// <c>NOSCRIPT</c>, <c>BUSYGROUP</c>, ...), otherwise empty.
    /// </summary>
    public string ErrorCode
    {
        get
        {
            var space = Message.IndexOf(' ', StringComparison.Ordinal);
            var word = space < 0 ? Message : Message[..space];
            foreach (var c in word)
            {
                if (c is not (>= 'A' and <= 'Z') and not '_')
                {
                    return string.Empty;
                }
            }

            return word;
        }
    }

    /// <summary>How many replies of the batch were errors; this exception carries the first of them.</summary>
    public int ErrorCount { get; }
}
