using Orleans.Runtime;
using Ticker.Grains.Accounts;
using Ticker.Grains.Interfaces.Accounts;

namespace Ticker.Tests.Grains.Accounts;

public sealed class AccountOwnershipLeaseUnitTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);
    private static readonly AccountOwner A = new(SiloAddress.New(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 11111), 1), "a");
    private static readonly AccountOwner B = new(SiloAddress.New(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 11112), 1), "b");
    private static readonly Func<SiloAddress, bool> NoneDead = static _ => false;

    [Fact]
    public void Nobody_holding_it_grants_the_holder_renews_and_another_is_refused_until_the_lease_runs_out()
    {
        var time = new SteppedTimeProvider();
        var lease = new AccountOwnershipLease(time);

        Assert.Equal(AccountLeaseOutcome.Granted, lease.Decide(A, NoneDead));
        lease.Hold(A, Lease);
        Assert.Equal(AccountLeaseOutcome.Renewed, lease.Decide(A, NoneDead));
        time.Advance(Lease - TimeSpan.FromTicks(1));
        Assert.Equal(AccountLeaseOutcome.Refused, lease.Decide(B, NoneDead));
        Assert.Equal(A, lease.Current(NoneDead));
        time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(AccountLeaseOutcome.Granted, lease.Decide(B, NoneDead));
        Assert.Null(lease.Current(NoneDead));
    }

    [Fact]
    public void A_dead_holder_is_replaced_at_once()
    {
        var lease = new AccountOwnershipLease(new SteppedTimeProvider());
        lease.Hold(A, Lease);

        Assert.Equal(AccountLeaseOutcome.Granted, lease.Decide(B, silo => silo.Equals(A.Silo)));
        Assert.Null(lease.Current(silo => silo.Equals(A.Silo)));
    }

    [Fact]
    public void A_restored_holder_gets_a_full_lease_from_the_restore()
    {
        var time = new SteppedTimeProvider();
        time.Advance(TimeSpan.FromHours(1));
        var lease = new AccountOwnershipLease(time);

        lease.Restore(A, Lease);
        time.Advance(Lease - TimeSpan.FromTicks(1));

        Assert.Equal(AccountLeaseOutcome.Refused, lease.Decide(B, NoneDead));
    }

    private sealed class SteppedTimeProvider : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
