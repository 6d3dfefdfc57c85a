using System.Collections.Concurrent;

namespace Ticker.Grains.Accounts;

/// <summary>The account grains of this process, by account id. Thread-safe; not on the per-tick path.</summary>
public sealed class AccountDirectory
{
    /// <summary>The default value for the staleness used by <see cref="ActiveCount"/>: 10 seconds without a frame.</summary>
    public static readonly TimeSpan DefaultStaleAfter = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, AccountConnections> _accounts = new(StringComparer.Ordinal);

    /// <summary>The grain of <paramref name="accountId"/>, created with <paramref name="connectionCount"/> connections on first use.</summary>
    public AccountConnections GetOrAdd(string accountId, int connectionCount) =>
        _accounts.GetOrAdd(accountId, static (id, count) => new AccountConnections(id, count), connectionCount);

    /// <summary>Forgets an account this process no longer streams (another silo does), so it is no longer reported from here.</summary>
    public void Remove(string accountId) => _accounts.TryRemove(accountId, out _);

    /// <summary>Views of every account, ordered by id.</summary>
    public IReadOnlyList<AccountSnapshot> Snapshot(long nowUs, TimeSpan staleAfter)
    {
        var list = new List<AccountSnapshot>(_accounts.Count);
        foreach (var account in _accounts.Values)
        {
            list.Add(account.GetSnapshot(nowUs, staleAfter));
        }

        list.Sort(static (a, b) => string.CompareOrdinal(a.AccountId, b.AccountId));
        return list;
    }

    /// <summary>How many accounts are active (the <c>tick_processor_active_accounts</c> gauge).</summary>
    public int ActiveCount(long nowUs, TimeSpan staleAfter)
    {
        var active = 0;
        foreach (var account in _accounts.Values)
        {
            if (account.GetSnapshot(nowUs, staleAfter).Active)
            {
                active++;
            }
        }

        return active;
    }
}
