using System.Buffers.Text;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Protocol.Resp;

namespace Ticker.Client.Library;

/// <summary>
/// One round trip for an option chain: <c>ZRANGE tick:chain:{NAME}:{expiry} 0 -1 WITHSCORES</c>, the underlying's
/// hash and the hash of every option the master lists for the expiry, pipelined.
/// </summary>
internal sealed class ChainRead : IRedisRead
{
    private readonly string _chainKey;
    private readonly uint _underlyingToken;
    private readonly IReadOnlyList<uint> _optionTokens;

    /// <summary>Creates the read.</summary>
    /// <param name="chainKey">The chain's sorted set.</param>
    /// <param name="underlyingToken">The underlying's token.</param>
    /// <param name="optionTokens">The options the master lists.</param>
    public ChainRead(string chainKey, uint underlyingToken, IReadOnlyList<uint> optionTokens)
    {
        _chainKey = chainKey;
        _underlyingToken = underlyingToken;
        _optionTokens = optionTokens;
        Options = new InstrumentSnapshot?[optionTokens.Count];
    }

    /// <summary>The sorted set's members (token, strike), by strike.</summary>
    public List<(uint Token, double Strike)> Members { get; } = [];

    /// <summary>The underlying's snapshot, or null.</summary>
    public InstrumentSnapshot? Underlying { get; private set; }

    /// <summary>Each listed option's snapshot, in the order given; null where Redis has none.</summary>
    public InstrumentSnapshot?[] Options { get; }

    /// <inheritdoc />
    public void Write(RedisBatch batch)
    {
        Members.Clear();
        Underlying = null;
        Array.Clear(Options);
        batch.BeginCommand(5);
        batch.Arg("ZRANGE"u8);
        batch.Arg(_chainKey);
        batch.Arg("0"u8);
        batch.Arg("-1"u8);
        batch.Arg("WITHSCORES"u8);
        SnapshotRead.WriteHashGet(batch, _underlyingToken);
        foreach (var token in _optionTokens)
        {
            SnapshotRead.WriteHashGet(batch, token);
        }
    }

    /// <inheritdoc />
    public void OnReply(int index, RespReader reply)
    {
        switch (index)
        {
            case 0:
                ReadMembers(ref reply);
                break;
            case 1:
                Underlying = SnapshotRead.ReadSnapshot(ref reply);
                break;
            default:
                Options[index - 2] = SnapshotRead.ReadSnapshot(ref reply);
                break;
        }
    }

    private void ReadMembers(ref RespReader reply)
    {
        var count = reply.ReadArrayLength();
        for (var i = 0; i + 1 < count; i += 2)
        {
            var member = reply.ReadBulkString();
            reply.ReadBulkString();
            if (Utf8Parser.TryParse(member, out uint token, out var consumed) && consumed == member.Length && reply.TryGetDouble(out var strike))
            {
                Members.Add((token, strike));
            }
        }
    }
}
