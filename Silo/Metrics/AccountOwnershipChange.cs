namespace Ticker.Silo.Metrics;

/// <summary>The <c>change</c> label of <c>kite_account_ownership_changes_total</c>: how this silo's hold on an account changed.</summary>
public enum AccountOwnershipChange
{
    /// <summary>This silo was granted the account's lease and started streaming it.</summary>
    Acquired = 0,

    /// <summary>A renewal was refused, or renewals failed for a whole lease period: the feed was stopped.</summary>
    Lost = 1,

    /// <summary>This silo stopped the feed and gave the lease up (graceful shutdown).</summary>
    Released = 2,
}
