namespace Ticker.Silo.Metrics;

/// <summary>The <c>error_type</c> label of <c>redis_errors_total</c>.</summary>
public enum RedisErrorType
{
    /// <summary>Connecting failed or the connection dropped.</summary>
    Connection = 0,

    /// <summary>A reply did not arrive in time.</summary>
    Timeout = 1,

    /// <summary>A reply could not be parsed (a bug or a corrupted stream).</summary>
    Protocol = 2,

    /// <summary>The server answered with an error reply.</summary>
    Server = 3,
}
