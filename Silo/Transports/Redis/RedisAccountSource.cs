using StackExchange.Redis;
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

    private readonly IConnectionMultiplexer _redis;
    private readonly TimeProvider _time;

    /// <summary>Creates the source.</summary>
    /// <param name="redis">The process's multiplexer.</param>
    /// <param name="time">The clock records are aged by.</param>
    public RedisAccountSource(IConnectionMultiplexer redis, TimeProvider time)
    {
        _redis = redis;
        _time = time;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<AccountState>> GetAccountsAsync(CancellationToken cancellationToken)
    {
        var hash = await _redis.GetDatabase().HashGetAllAsync(TickerKeys.Accounts).WaitAsync(cancellationToken).ConfigureAwait(false);
        var nowUs = _time.MicrosecondsNow();
        var list = new List<AccountState>(hash.Length);
        foreach (var entry in hash)
        {
            if (AccountStateJson.TryParse(((ReadOnlyMemory<byte>)entry.Value).Span, out var state))
            {
                var fresh = nowUs - state.UpdatedAtUs <= (long)StaleAfter.TotalMicroseconds;
                list.Add(fresh ? state : state with { Active = false });
            }
        }

        list.Sort(static (a, b) => string.CompareOrdinal(a.AccountId, b.AccountId));
        return list;
    }
}
