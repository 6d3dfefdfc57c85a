using Ticker.Grains.Interfaces.Accounts;
using Ticker.Protocol.Redis;

namespace Ticker.Silo.Hosting;

/// <summary>Where <c>/api/accounts</c> and the active-accounts gauge get the broker accounts from.</summary>
public interface IAccountSource
{
    /// <summary>Every known account, ordered by id.</summary>
    ValueTask<IReadOnlyList<AccountState>> GetAccountsAsync(CancellationToken cancellationToken);
}
