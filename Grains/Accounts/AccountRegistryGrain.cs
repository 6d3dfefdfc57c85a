using Ticker.Grains.Interfaces.Accounts;

namespace Ticker.Grains.Accounts;

/// <summary>The ids of every account that has reported (key 0). In memory: accounts register again with their next report.</summary>
public sealed class AccountRegistryGrain : Grain, IAccountRegistryGrain
{
    private readonly SortedSet<string> _ids = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task RegisterAsync(string accountId)
    {
        _ids.Add(accountId);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<string[]> GetAccountIdsAsync() => Task.FromResult(_ids.ToArray());
}
