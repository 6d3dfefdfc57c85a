using StackExchange.Redis;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Protocol.Redis;

namespace Ticker.Client.Library;

/// <summary><c>HGETALL tick:snap:{token}</c> for each token, pipelined.</summary>
internal sealed class SnapshotRead : IRedisRead
{
    private readonly IReadOnlyList<uint> _tokens;

    /// <summary>Creates the read.</summary>
    /// <param name="tokens">The instrument tokens.</param>
    public SnapshotRead(IReadOnlyList<uint> tokens)
    {
        _tokens = tokens;
        Snapshots = new InstrumentSnapshot?[tokens.Count];
    }

    /// <summary>The snapshot of each token, in order; null where Redis has none.</summary>
    public InstrumentSnapshot?[] Snapshots { get; }

    /// <inheritdoc />
    public Task QueueOn(IBatch batch)
    {
        Array.Clear(Snapshots);
        var replies = new Task<HashEntry[]>[_tokens.Count];
        for (var i = 0; i < replies.Length; i++)
        {
            replies[i] = QueueHashGet(batch, _tokens[i]);
        }

        return CollectAsync(replies, Snapshots, 0);
    }

    /// <summary>Queues <c>HGETALL tick:snap:{token}</c>.</summary>
    /// <param name="batch">The batch.</param>
    /// <param name="token">The instrument token.</param>
    /// <returns>The reply.</returns>
    internal static Task<HashEntry[]> QueueHashGet(IBatch batch, uint token) => batch.HashGetAllAsync(TickerKeys.Snapshot(token));

    /// <summary>Reads each reply into <paramref name="snapshots"/> from <paramref name="offset"/> on.</summary>
    /// <param name="replies">The HGETALL replies.</param>
    /// <param name="snapshots">Where the snapshots go; null for a missing hash.</param>
    /// <param name="offset">The index of the first reply's snapshot.</param>
    /// <returns>Completes when all are read.</returns>
    /// <exception cref="RedisServerException">A reply is an error (e.g. <c>WRONGTYPE</c>).</exception>
    internal static async Task CollectAsync(Task<HashEntry[]>[] replies, InstrumentSnapshot?[] snapshots, int offset)
    {
        for (var i = 0; i < replies.Length; i++)
        {
            snapshots[offset + i] = Read(await replies[i].ConfigureAwait(false));
        }
    }

    /// <summary>Reads an HGETALL reply; null for a missing hash.</summary>
    /// <param name="entries">The reply.</param>
    /// <returns>The snapshot, or null.</returns>
    internal static InstrumentSnapshot? Read(HashEntry[] entries) => SnapshotHash.TryRead(entries, out var snapshot) ? snapshot : null;
}
