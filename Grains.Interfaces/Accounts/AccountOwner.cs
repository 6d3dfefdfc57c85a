namespace Ticker.Grains.Interfaces.Accounts;

/// <summary>A silo holding (or asking for) the lease of an account: who streams it.</summary>
/// <param name="Silo">The silo's Orleans address (endpoint and generation, so a restarted silo is someone else).</param>
/// <param name="Name">A readable name for it (the ticker's silo id), shown by <c>/api/accounts</c>.</param>
[GenerateSerializer, Immutable]
public sealed record AccountOwner(
    [property: Id(0)] SiloAddress Silo,
    [property: Id(1)] string Name);
