using Ticker.Grains.Interfaces.Accounts;
using Ticker.Protocol.Redis;
using Ticker.Silo.Hosting;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Silo.Transports.Redis;

/// <summary>
/// The accounts every process of the cluster publishes in <c>tick:accounts</c>. A record not refreshed for
/// <see cref="StaleAfter"/> (its process stopped or died) is reported inactive.
/// </summary>
public sealed class RedisAccountSource : IAccountSource
{
    /// <summary>How old a record may be and still count as active.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(10);

    private readonly RedisConnector _connector;
    private readonly TimeProvider _time;

    /// <summary>Creates the source.</summary>
    public RedisAccountSource(RedisConnector connector, TimeProvider time)
    {
        _connector = connector;
        _time = time;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<AccountState>> GetAccountsAsync(CancellationToken cancellationToken)
    {
        var redis = await _connector.GetAsync(cancellationToken).ConfigureAwait(false);
        var hash = (await redis.ExecuteAsync(["HGETALL", TickerKeys.Accounts], cancellationToken).ConfigureAwait(false)).AsArray();
        var nowUs = _time.MicrosecondsNow();
        var list = new List<AccountState>();
        for (var i = 1; i < hash.Count; i += 2)
        {
            if (AccountStateJson.TryParse(hash[i].AsBytes(), out var state))
            {
                var fresh = nowUs - state.UpdatedAtUs <= (long)StaleAfter.TotalMicroseconds;
                list.Add(fresh ? state : state with { Active = false });
            }
        }

        list.Sort(static (a, b) => string.CompareOrdinal(a.AccountId, b.AccountId));
        return list;
    }
}
