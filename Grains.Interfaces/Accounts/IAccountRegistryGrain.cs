namespace Ticker.Grains.Interfaces.Accounts;

/// <summary>The ids of every account that has reported (key 0), so <c>/api/accounts</c> can list the account grains.</summary>
public interface IAccountRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Adds an account id (idempotent).</summary>
    Task RegisterAsync(string accountId);

    /// <summary>The account ids, ordered.</summary>
    Task<string[]> GetAccountIdsAsync();
}
