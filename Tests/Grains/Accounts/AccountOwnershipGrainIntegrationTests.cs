using Orleans.Runtime;
using Ticker.Grains.Interfaces.Accounts;
using Ticker.Tests.Client.Kite;
using Ticker.Tests.Grains.Cluster;

namespace Ticker.Tests.Grains.Accounts;

/// <summary>The account ownership grain on a two-silo cluster, claimed for the cluster's two real silos.</summary>
[Collection(TickerClusterCollection.Name)]
public sealed class AccountOwnershipGrainIntegrationTests
{
    private static readonly TimeSpan LongLease = TimeSpan.FromMinutes(5);

    private readonly TickerClusterFixture _fixture;

    public AccountOwnershipGrainIntegrationTests(TickerClusterFixture fixture) => _fixture = fixture;

    private IGrainFactory Grains => _fixture.Cluster.Client;

    private AccountOwner First => new(_fixture.Cluster.Silos[0].SiloAddress, "first");

    private AccountOwner Second => new(_fixture.Cluster.Silos[1].SiloAddress, "second");

    [Fact]
    public async Task One_silo_holds_the_lease_and_a_second_is_refused_while_it_is_live()
    {
        var grain = NewAccount();

        var granted = await grain.ClaimAsync(First, LongLease);
        var refused = await grain.ClaimAsync(Second, LongLease);
        var renewed = await grain.ClaimAsync(First, LongLease);

        Assert.Equal(AccountLeaseOutcome.Granted, granted.Outcome);
        Assert.Equal(First, granted.Owner);
        Assert.Equal(AccountLeaseOutcome.Refused, refused.Outcome);
        Assert.False(refused.Held);
        Assert.Equal(First, refused.Owner);
        Assert.Equal(AccountLeaseOutcome.Renewed, renewed.Outcome);
        Assert.Equal(First, await grain.GetOwnerAsync());
    }

    [Fact]
    public async Task After_the_holder_releases_the_other_silo_gets_it_and_a_release_by_another_silo_changes_nothing()
    {
        var grain = NewAccount();
        await grain.ClaimAsync(First, LongLease);

        await grain.ReleaseAsync(Second.Silo);
        Assert.Equal(First, await grain.GetOwnerAsync());
        await grain.ReleaseAsync(First.Silo);
        Assert.Null(await grain.GetOwnerAsync());
        var taken = await grain.ClaimAsync(Second, LongLease);

        Assert.Equal(AccountLeaseOutcome.Granted, taken.Outcome);
        Assert.Equal(Second, await grain.GetOwnerAsync());
    }

    [Fact]
    public async Task After_the_lease_expires_the_other_silo_gets_it_and_the_old_holder_is_refused()
    {
        var grain = NewAccount();
        await grain.ClaimAsync(First, TimeSpan.FromMilliseconds(200));

        await Eventually.WaitUntilAsync(() => grain.ClaimAsync(Second, LongLease).GetAwaiter().GetResult().Held, "the second silo is granted the expired lease");

        Assert.Equal(Second, await grain.GetOwnerAsync());
        Assert.Equal(AccountLeaseOutcome.Refused, (await grain.ClaimAsync(First, LongLease)).Outcome);
    }

    [Fact]
    public async Task A_holder_whose_silo_membership_declared_dead_loses_the_lease_at_once()
    {
        // An older generation of a live silo's endpoint: Orleans membership reports it dead.
        var live = _fixture.Cluster.Silos[0].SiloAddress;
        var dead = new AccountOwner(SiloAddress.New(live.Endpoint, live.Generation - 1), "dead");
        var grain = NewAccount();
        await grain.ClaimAsync(dead, LongLease);

        Assert.Null(await grain.GetOwnerAsync());
        Assert.Equal(AccountLeaseOutcome.Granted, (await grain.ClaimAsync(Second, LongLease)).Outcome);
    }

    [Fact]
    public async Task The_holder_survives_the_grains_deactivation()
    {
        var grain = NewAccount();
        await grain.ClaimAsync(First, LongLease);

        // Returns once the activation is gone; the next call activates the grain again from storage.
        await _fixture.Cluster.DeactivateAsync(grain);
        var refused = await grain.ClaimAsync(Second, LongLease);

        Assert.Equal(AccountLeaseOutcome.Refused, refused.Outcome);
        Assert.Equal(First, refused.Owner);
        Assert.Equal(AccountLeaseOutcome.Renewed, (await grain.ClaimAsync(First, LongLease)).Outcome);
    }

    private IAccountOwnershipGrain NewAccount() => Grains.GetGrain<IAccountOwnershipGrain>("acct-" + Guid.NewGuid().ToString("N"));
}
