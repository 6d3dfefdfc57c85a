using Ticker.Grains.Interfaces.Accounts;
using Ticker.Grains.Accounts;
using Ticker.Protocol.Redis;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Silo.Hosting;

/// <summary>The accounts of this process's account grains (the embedded mode, and what a process publishes).</summary>
public sealed class LocalAccountSource : IAccountSource
{
    private readonly AccountDirectory _accounts;
    private readonly TimeProvider _time;

    /// <summary>Creates the source.</summary>
    public LocalAccountSource(AccountDirectory accounts, TimeProvider time)
    {
        _accounts = accounts;
        _time = time;
    }

    /// <summary>The accounts now, as the wire records.</summary>
    public IReadOnlyList<AccountState> Current()
    {
        var nowUs = _time.MicrosecondsNow();
        var list = new List<AccountState>();
        foreach (var a in _accounts.Snapshot(nowUs, AccountDirectory.DefaultStaleAfter))
        {
            list.Add(new AccountState(
                a.AccountId, a.Active, a.Connections, a.ConnectedCount, a.Instruments, a.Ticks, a.Reconnects, a.LastTickUs, a.LastHeartbeatUs, nowUs));
        }

        return list;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AccountState>> GetAccountsAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Current());
}
