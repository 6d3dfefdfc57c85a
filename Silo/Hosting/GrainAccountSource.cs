using Ticker.Grains.Interfaces.Accounts;

namespace Ticker.Silo.Hosting;

/// <summary>
/// The accounts as their account grains hold them (every account any feed of the cluster reported), each with the
/// silo streaming it: the holder of its live lease as its ownership grain says; for a feed that takes no lease (the
/// synthetic feed, <c>feed --kite</c>), the silo that reported it, while it is active; otherwise none.
/// </summary>
public sealed class GrainAccountSource : IAccountSource
{
    private readonly IGrainFactory _grains;

    /// <summary>Creates the source.</summary>
    public GrainAccountSource(IGrainFactory grains) => _grains = grains;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<AccountState>> GetAccountsAsync(CancellationToken cancellationToken)
    {
        var ids = await _grains.GetGrain<IAccountRegistryGrain>(0).GetAccountIdsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        var reads = new Task<AccountState?>[ids.Length];
        var owners = new Task<AccountOwner?>[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            reads[i] = _grains.GetGrain<IAccountGrain>(ids[i]).GetStateAsync();
            owners[i] = _grains.GetGrain<IAccountOwnershipGrain>(ids[i]).GetOwnerAsync();
        }

        var states = await Task.WhenAll(reads).WaitAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(owners).WaitAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<AccountState>(states.Length);
        for (var i = 0; i < states.Length; i++)
        {
            if (states[i] is { } state)
            {
                // A Kite account: the lease holder. A feed without a lease (synthetic, `feed --kite`): the silo reporting it while active.
                list.Add(owners[i].Result is { } owner
                    ? state with { Silo = owner.Name, SiloAddress = owner.Silo.ToString() }
                    : state.Active ? state : state with { Silo = null, SiloAddress = null });
            }
        }

        return list;
    }
}
