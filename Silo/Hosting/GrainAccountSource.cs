using Ticker.Grains.Interfaces.Accounts;

namespace Ticker.Silo.Hosting;

/// <summary>The accounts as their account grains hold them (every account any feed of the cluster reported).</summary>
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
        for (var i = 0; i < ids.Length; i++)
        {
            reads[i] = _grains.GetGrain<IAccountGrain>(ids[i]).GetStateAsync();
        }

        var states = await Task.WhenAll(reads).WaitAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<AccountState>(states.Length);
        foreach (var state in states)
        {
            if (state is not null)
            {
                list.Add(state);
            }
        }

        return list;
    }
}
