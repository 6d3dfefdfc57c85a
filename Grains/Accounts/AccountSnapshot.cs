namespace Ticker.Grains.Accounts;

/// <summary>A point-in-time view of one account, as <c>/api/accounts</c> shows it.</summary>
/// <param name="AccountId">The account (its API key; never the access token).</param>
/// <param name="Active">True when a connection is open and saw a frame recently.</param>
/// <param name="Connections">Connections configured.</param>
/// <param name="ConnectedCount">Connections open.</param>
/// <param name="Instruments">Instruments subscribed over all connections.</param>
/// <param name="LastTickUs">Last tick on any connection, Unix microseconds (0: none yet).</param>
/// <param name="LastHeartbeatUs">Last frame of any kind, Unix microseconds (0: none yet).</param>
/// <param name="Ticks">Ticks received.</param>
/// <param name="Reconnects">Reconnects over all connections.</param>
public sealed record AccountSnapshot(
    string AccountId,
    bool Active,
    int Connections,
    int ConnectedCount,
    int Instruments,
    long LastTickUs,
    long LastHeartbeatUs,
    long Ticks,
    long Reconnects);
