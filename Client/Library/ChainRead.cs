using System.Buffers.Text;
using StackExchange.Redis;
using Ticker.Grains.Interfaces.Snapshots;

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
    public Task QueueOn(IBatch batch)
    {
        Members.Clear();
        Underlying = null;
        Array.Clear(Options);
        var members = batch.SortedSetRangeByRankWithScoresAsync(_chainKey);
        var underlying = SnapshotRead.QueueHashGet(batch, _underlyingToken);
        var options = new Task<HashEntry[]>[_optionTokens.Count];
        for (var i = 0; i < options.Length; i++)
        {
            options[i] = SnapshotRead.QueueHashGet(batch, _optionTokens[i]);
        }

        return CollectAsync(members, underlying, options);
    }

    private async Task CollectAsync(Task<SortedSetEntry[]> members, Task<HashEntry[]> underlying, Task<HashEntry[]>[] options)
    {
        foreach (var member in await members.ConfigureAwait(false))
        {
            var text = ((ReadOnlyMemory<byte>)member.Element).Span;
            if (Utf8Parser.TryParse(text, out uint token, out var consumed) && consumed == text.Length)
            {
                Members.Add((token, member.Score));
            }
        }

        Underlying = SnapshotRead.Read(await underlying.ConfigureAwait(false));
        await SnapshotRead.CollectAsync(options, Options, 0).ConfigureAwait(false);
    }
}
