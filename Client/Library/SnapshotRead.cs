using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Protocol.Redis;
using Ticker.Protocol.Resp;

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
    public void Write(RedisBatch batch)
    {
        Array.Clear(Snapshots);
        foreach (var token in _tokens)
        {
            WriteHashGet(batch, token);
        }
    }

    /// <inheritdoc />
    public void OnReply(int index, RespReader reply) => Snapshots[index] = ReadSnapshot(ref reply);

    /// <summary>Writes <c>HGETALL tick:snap:{token}</c> without allocating.</summary>
    /// <param name="batch">The batch.</param>
    /// <param name="token">The instrument token.</param>
    internal static void WriteHashGet(RedisBatch batch, uint token)
    {
        Span<byte> key = stackalloc byte[TickerKeys.MaxSnapshotKeyLength];
        TickerKeys.TryFormatSnapshot(token, key, out var length);
        batch.BeginCommand(2);
        batch.Arg("HGETALL"u8);
        batch.Arg(key[..length]);
    }

    /// <summary>Reads an HGETALL reply; null for a missing hash.</summary>
    /// <param name="reply">The reply.</param>
    /// <returns>The snapshot, or null.</returns>
    /// <exception cref="RedisServerException">The reply is an error (e.g. <c>WRONGTYPE</c>).</exception>
    internal static InstrumentSnapshot? ReadSnapshot(ref RespReader reply)
    {
        var probe = reply;
        if (probe.Read())
        {
            probe.ThrowIfError();
        }

        return SnapshotHash.TryRead(ref reply, out var snapshot) ? snapshot : null;
    }
}
