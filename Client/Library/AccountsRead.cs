using Ticker.Grains.Interfaces.Accounts;
using Ticker.Protocol.Redis;
using Ticker.Protocol.Resp;

namespace Ticker.Client.Library;

/// <summary><c>HGETALL tick:accounts</c>, each value parsed with <see cref="AccountStateJson"/>.</summary>
internal sealed class AccountsRead : IRedisRead
{
    /// <summary>The accounts whose value parsed.</summary>
    public List<AccountState> Accounts { get; } = [];

    /// <summary>The fields (account ids) whose value did not parse.</summary>
    public List<string> Malformed { get; } = [];

    /// <inheritdoc />
    public void Write(RedisBatch batch)
    {
        Accounts.Clear();
        Malformed.Clear();
        batch.BeginCommand(2);
        batch.Arg("HGETALL"u8);
        batch.Arg(TickerKeys.Accounts);
    }

    /// <inheritdoc />
    public void OnReply(int index, RespReader reply)
    {
        var count = reply.ReadArrayLength();
        for (var i = 0; i + 1 < count; i += 2)
        {
            var field = reply.ReadString() ?? string.Empty;
            var value = reply.ReadBulkString();
            if (AccountStateJson.TryParse(value, out var state))
            {
                Accounts.Add(state);
            }
            else
            {
                Malformed.Add(field);
            }
        }
    }
}
