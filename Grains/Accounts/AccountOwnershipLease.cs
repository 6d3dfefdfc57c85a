using Ticker.Grains.Interfaces.Accounts;

namespace Ticker.Grains.Accounts;

/// <summary>
/// The lease of one account as its ownership grain holds it: who streams the account and until when. Plain C#; the
/// grain persists <see cref="Owner"/>. Time is measured as elapsed time on this process's monotonic clock, never
/// compared with another machine's wall clock.
/// </summary>
public sealed class AccountOwnershipLease
{
    private readonly TimeProvider _time;
    private long _renewedAt;
    private TimeSpan _lease;

    /// <summary>Creates an empty lease (nobody holds it).</summary>
    public AccountOwnershipLease(TimeProvider time) => _time = time;

    /// <summary>The holder, live or expired; null when nobody has held it or it was released.</summary>
    public AccountOwner? Owner { get; private set; }

    /// <summary>Whether the holder's lease has run out.</summary>
    public bool Expired => Owner is null || _time.GetElapsedTime(_renewedAt) >= _lease;

    /// <summary>
    /// Takes back a holder read from storage (a new activation). It gets a full lease from now: when it last renewed
    /// is unknown here, and a fresh lease errs on the side of never granting the account to a second silo while the
    /// holder may still stream it.
    /// </summary>
    public void Restore(AccountOwner? owner, TimeSpan lease) => Hold(owner, lease);

    /// <summary>What a claim by <paramref name="claimant"/> gets; changes nothing (the grain persists first, then <see cref="Hold"/>s).</summary>
    /// <param name="claimant">Who asks.</param>
    /// <param name="isDead">Whether Orleans membership declared a silo dead.</param>
    public AccountLeaseOutcome Decide(AccountOwner claimant, Func<SiloAddress, bool> isDead)
    {
        ArgumentNullException.ThrowIfNull(claimant);
        ArgumentNullException.ThrowIfNull(isDead);
        if (Owner is null)
        {
            return AccountLeaseOutcome.Granted;
        }

        if (Owner.Silo.Equals(claimant.Silo))
        {
            return AccountLeaseOutcome.Renewed;
        }

        return Expired || isDead(Owner.Silo) ? AccountLeaseOutcome.Granted : AccountLeaseOutcome.Refused;
    }

    /// <summary>Makes <paramref name="owner"/> the holder for <paramref name="lease"/> from now (null: nobody).</summary>
    public void Hold(AccountOwner? owner, TimeSpan lease)
    {
        Owner = owner;
        _lease = lease;
        _renewedAt = _time.GetTimestamp();
    }

    /// <summary>The holder of a live lease whose silo is not dead; null otherwise.</summary>
    public AccountOwner? Current(Func<SiloAddress, bool> isDead)
    {
        ArgumentNullException.ThrowIfNull(isDead);
        return Owner is { } owner && !Expired && !isDead(owner.Silo) ? owner : null;
    }
}
