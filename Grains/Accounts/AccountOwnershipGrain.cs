using Ticker.Grains.Interfaces.Accounts;

namespace Ticker.Grains.Accounts;

/// <summary>
/// Decides which silo streams an account (key = account id). A thin host around <see cref="AccountOwnershipLease"/>:
/// it persists the holder whenever it changes (not on renewals), so the decision survives this grain's deactivation
/// and its silo's death, and asks Orleans membership whether a holder's silo is dead.
/// </summary>
public sealed class AccountOwnershipGrain : Grain, IAccountOwnershipGrain
{
    /// <summary>The grain storage the holder is persisted in; every silo registers one under this name (memory when embedded, Redis in a cluster).</summary>
    public const string StorageName = "account-ownership";

    private readonly IPersistentState<AccountOwnershipState> _state;
    private readonly IClusterMembershipService _membership;
    private readonly AccountOwnershipLease _lease;
    private readonly Func<SiloAddress, bool> _isDead;

    /// <summary>Creates the grain (Orleans does).</summary>
    public AccountOwnershipGrain(
        [PersistentState("ownership", StorageName)] IPersistentState<AccountOwnershipState> state,
        IClusterMembershipService membership,
        TimeProvider time)
    {
        _state = state;
        _membership = membership;
        _lease = new AccountOwnershipLease(time);
        _isDead = IsDead;
    }

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _lease.Restore(_state.State.Owner, _state.State.Lease);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<AccountLease> ClaimAsync(AccountOwner claimant, TimeSpan lease)
    {
        ArgumentNullException.ThrowIfNull(claimant);
        var outcome = _lease.Decide(claimant, _isDead);
        if (outcome == AccountLeaseOutcome.Refused)
        {
            return new AccountLease(outcome, _lease.Owner);
        }

        if (outcome == AccountLeaseOutcome.Granted)
        {
            // Stored before it is granted: a new activation must know the holder the claimant now believes it is.
            await WriteAsync(claimant, lease);
        }

        _lease.Hold(claimant, lease);
        return new AccountLease(outcome, claimant);
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(SiloAddress silo)
    {
        if (_lease.Owner is { } owner && owner.Silo.Equals(silo))
        {
            await WriteAsync(null, TimeSpan.Zero);
            _lease.Hold(null, TimeSpan.Zero);
        }
    }

    /// <inheritdoc />
    public Task<AccountOwner?> GetOwnerAsync() => Task.FromResult(_lease.Current(_isDead));

    private async Task WriteAsync(AccountOwner? owner, TimeSpan lease)
    {
        var previous = (_state.State.Owner, _state.State.Lease);
        _state.State.Owner = owner;
        _state.State.Lease = lease;
        try
        {
            await _state.WriteStateAsync();
        }
        catch
        {
            // Whether the write landed is unknown: start again from what storage holds (its holder gets a fresh lease).
            (_state.State.Owner, _state.State.Lease) = previous;
            DeactivateOnIdle();
            throw;
        }
    }

    // Only Dead counts: a silo shutting down stops its feeds and releases before it leaves, and one not yet in this
    // silo's view of membership may be a new holder.
    private bool IsDead(SiloAddress silo) => _membership.CurrentSnapshot.GetSiloStatus(silo) == SiloStatus.Dead;
}
