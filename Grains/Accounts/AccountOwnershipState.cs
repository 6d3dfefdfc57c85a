using Ticker.Grains.Interfaces.Accounts;

namespace Ticker.Grains.Accounts;

/// <summary>What an account's ownership grain persists: the holder, so a new activation does not hand the account to a second silo.</summary>
[GenerateSerializer]
public sealed class AccountOwnershipState
{
    /// <summary>The holder; null when nobody holds it (never held, or released).</summary>
    [Id(0)]
    public AccountOwner? Owner { get; set; }

    /// <summary>The lease length the holder asked for, which a new activation gives it again.</summary>
    [Id(1)]
    public TimeSpan Lease { get; set; }
}
