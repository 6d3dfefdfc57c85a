using StackExchange.Redis;
using Ticker.Grains.Interfaces.Accounts;
using Ticker.Protocol.Redis;

namespace Ticker.Client.Library;

/// <summary><c>HGETALL tick:accounts</c>, each value parsed with <see cref="AccountStateJson"/>.</summary>
internal sealed class AccountsRead : IRedisRead
{
    /// <summary>The accounts whose value parsed.</summary>
    public List<AccountState> Accounts { get; } = [];

    /// <summary>The fields (account ids) whose value did not parse.</summary>
    public List<string> Malformed { get; } = [];

    /// <inheritdoc />
    public Task QueueOn(IBatch batch)
    {
        Accounts.Clear();
        Malformed.Clear();
        return CollectAsync(batch.HashGetAllAsync(TickerKeys.Accounts));
    }

    private async Task CollectAsync(Task<HashEntry[]> reply)
    {
        foreach (var entry in await reply.ConfigureAwait(false))
        {
            if (AccountStateJson.TryParse(((ReadOnlyMemory<byte>)entry.Value).Span, out var state))
            {
                Accounts.Add(state);
            }
            else
            {
                Malformed.Add(entry.Name.ToString());
            }
        }
    }
}
