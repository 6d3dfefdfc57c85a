namespace Ticker.Grains.Interfaces.Accounts;

/// <summary>
/// Decides which silo streams a configured Kite account (key = account id): one holder at a time, by a lease the
/// holder renews. Silos configured with the account claim it about once a second; only the holder streams it.
/// </summary>
public interface IAccountOwnershipGrain : IGrainWithStringKey
{
    /// <summary>
    /// Claims or renews the lease for <paramref name="lease"/>. Granted when nobody holds it, the claimant holds it, or
    /// the holder's lease has expired or its silo is dead in Orleans membership; refused otherwise.
    /// </summary>
    Task<AccountLease> ClaimAsync(AccountOwner claimant, TimeSpan lease);

    /// <summary>Gives the lease up if <paramref name="silo"/> holds it (graceful shutdown), so another silo takes over at once.</summary>
    Task ReleaseAsync(SiloAddress silo);

    /// <summary>The holder of a live lease; null when nobody holds one.</summary>
    Task<AccountOwner?> GetOwnerAsync();
}
