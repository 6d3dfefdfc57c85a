namespace Ticker.Grains.Interfaces.Accounts;

/// <summary>The answer to a claim on an account.</summary>
/// <param name="Outcome">Granted, renewed or refused.</param>
/// <param name="Owner">The holder after the claim: the claimant unless refused.</param>
[GenerateSerializer, Immutable]
public sealed record AccountLease(
    [property: Id(0)] AccountLeaseOutcome Outcome,
    [property: Id(1)] AccountOwner? Owner)
{
    /// <summary>Whether the claimant holds the lease now.</summary>
    public bool Held => Outcome != AccountLeaseOutcome.Refused;
}
