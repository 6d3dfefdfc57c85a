namespace Ticker.Grains.Interfaces.Accounts;

/// <summary>How an account's ownership grain answered a claim.</summary>
public enum AccountLeaseOutcome
{
    /// <summary>Another silo holds a live lease: the claimant must not stream the account.</summary>
    Refused,

    /// <summary>The claimant is the new holder (nobody held it, the holder released it, its lease expired or its silo is dead).</summary>
    Granted,

    /// <summary>The claimant already held the lease; it runs for another lease period.</summary>
    Renewed,
}
