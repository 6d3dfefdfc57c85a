namespace Ticker.Protocol.Resp;

/// <summary>One physical connection, as the <see cref="RedisReconnector{TSession}"/> sees it.</summary>
internal interface IRedisSession
{
    /// <summary>Completes, with the reason, once the connection has closed and its work in flight has failed.</summary>
    Task<Exception> Completion { get; }

    /// <summary>Closes the connection.</summary>
    /// <param name="reason">Why; becomes the inner exception of what the work in flight fails with.</param>
    void Abort(Exception reason);
}
