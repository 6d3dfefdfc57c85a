namespace Ticker.Protocol.Redis;

/// <summary>
/// One broker account as a feed process publishes it in the <c>tick:accounts</c> hash (field = account id, value =
/// the JSON of <see cref="AccountStateJson"/>).
/// </summary>
/// <param name="AccountId">The account (its API key; never the access token).</param>
/// <param name="Active">True when a connection is open and saw a frame recently.</param>
/// <param name="Connections">WebSocket connections configured for the account.</param>
/// <param name="Connected">Connections open.</param>
/// <param name="Instruments">Instruments subscribed over all connections.</param>
/// <param name="Ticks">Ticks received.</param>
/// <param name="Reconnects">Reconnects over all connections.</param>
/// <param name="LastTickUs">Last tick on any connection, Unix microseconds (0: none yet).</param>
/// <param name="LastHeartbeatUs">Last frame of any kind, Unix microseconds (0: none yet).</param>
/// <param name="UpdatedAtUs">When the feed wrote this state, Unix microseconds (a reader can tell a stale entry).</param>
public sealed record AccountState(
    string AccountId,
    bool Active,
    int Connections,
    int Connected,
    int Instruments,
    long Ticks,
    long Reconnects,
    long LastTickUs,
    long LastHeartbeatUs,
    long UpdatedAtUs);
