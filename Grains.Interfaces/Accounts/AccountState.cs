namespace Ticker.Grains.Interfaces.Accounts;

/// <summary>
/// One broker account as its feed reports it: what <c>/api/accounts</c> shows, what an account grain holds and what a
/// Redis feed publishes in the <c>tick:accounts</c> hash.
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
/// <param name="UpdatedAtUs">When the feed reported this state, Unix microseconds (a reader can tell a stale entry).</param>
/// <param name="Silo">The silo streaming the account (the holder of its lease; its readable name); null when none does or it is not known.</param>
/// <param name="SiloAddress">That silo's Orleans address; null with <paramref name="Silo"/>.</param>
[GenerateSerializer, Immutable]
public sealed record AccountState(
    [property: Id(0)] string AccountId,
    [property: Id(1)] bool Active,
    [property: Id(2)] int Connections,
    [property: Id(3)] int Connected,
    [property: Id(4)] int Instruments,
    [property: Id(5)] long Ticks,
    [property: Id(6)] long Reconnects,
    [property: Id(7)] long LastTickUs,
    [property: Id(8)] long LastHeartbeatUs,
    [property: Id(9)] long UpdatedAtUs,
    [property: Id(10)] string? Silo = null,
    [property: Id(11)] string? SiloAddress = null);
