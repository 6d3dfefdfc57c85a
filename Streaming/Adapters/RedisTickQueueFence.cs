using StackExchange.Redis;
using Ticker.Protocol.Redis;
using Ticker.Streaming.Protocol;

namespace Ticker.Streaming.Adapters;

/// <summary>
/// One queue's commands that only its owner may run (<see cref="RedisTickFenceScripts"/>): taking the queue over, and
/// reading, acknowledging and claiming while this consumer owns it (<c>tick:in:{queue}:owner</c>).
/// </summary>
/// <remarks>
/// Each guarded call returns its result with <c>FencedBy</c> = <see langword="null"/>, or, when another consumer owns
/// the queue, a default result and that consumer's name: the command did not run.
/// </remarks>
internal sealed class RedisTickQueueFence
{
    private static readonly RedisValue Group = TickerKeys.ConsumerGroup;

    private readonly RedisKey[] _keys;
    private readonly RedisKey[] _ownerKey;
    private readonly RedisValue _consumer;

    /// <summary>Creates the fence of queue <paramref name="queue"/> for <paramref name="consumer"/>.</summary>
    public RedisTickQueueFence(int queue, RedisValue consumer)
    {
        RedisKey owner = TickerKeys.InputOwner(queue);
        _keys = [TickerKeys.InputStream(queue), owner];
        _ownerKey = [owner];
        _consumer = consumer;
    }

    /// <summary>Makes this consumer the owner, whoever owned the queue; from then on any other consumer is fenced.</summary>
    /// <returns>The previous owner (empty when there was none) and the new epoch.</returns>
    public async Task<(string Previous, long Epoch)> TakeOverAsync(IDatabase redis)
    {
        var reply = await redis.ScriptEvaluateAsync(RedisTickFenceScripts.TakeOver, _ownerKey, [_consumer]).ConfigureAwait(false);
        return (reply[0].ToString(), (long)reply[1]);
    }

    /// <summary>XREADGROUP from <paramref name="position"/> (an id in this consumer's pending list, or <c>&gt;</c>).</summary>
    public async Task<(StreamEntry[] Entries, string? FencedBy)> ReadAsync(IDatabase redis, RedisValue position, int count)
    {
        var reply = await redis.ScriptEvaluateAsync(RedisTickFenceScripts.Read, _keys, [Group, _consumer, count, position]).ConfigureAwait(false);
        return IsFenced(reply, out var owner) ? ([], owner) : (RedisTickReadReply.Parse(reply), null);
    }

    /// <summary>XACK <paramref name="ids"/>.</summary>
    /// <returns>How many entries left the pending list.</returns>
    public async Task<(long Acked, string? FencedBy)> AcknowledgeAsync(IDatabase redis, List<RedisValue> ids)
    {
        var args = new RedisValue[2 + ids.Count];
        args[0] = Group;
        args[1] = _consumer;
        ids.CopyTo(args, 2);
        var reply = await redis.ScriptEvaluateAsync(RedisTickFenceScripts.Acknowledge, _keys, args).ConfigureAwait(false);
        return IsFenced(reply, out var owner) ? (0, owner) : ((long)reply, null);
    }

    /// <summary>
    /// XAUTOCLAIM one page of entries pending (idle at least <paramref name="minIdleMs"/>) for any consumer, from
    /// <paramref name="cursor"/>.
    /// </summary>
    /// <returns>The next cursor (<c>0-0</c> at the end), how many were claimed, and the ids Redis dropped from the
    /// pending list because their entries are gone.</returns>
    public async Task<(RedisValue Next, int Claimed, int Deleted, string? FencedBy)> AutoClaimAsync(IDatabase redis, long minIdleMs, RedisValue cursor, int count)
    {
        var reply = await redis.ScriptEvaluateAsync(RedisTickFenceScripts.AutoClaim, _keys, [Group, _consumer, minIdleMs, cursor, count]).ConfigureAwait(false);
        if (IsFenced(reply, out var owner))
        {
            return (RedisValue.Null, 0, 0, owner);
        }

        // Redis 7 adds the deleted ids as a third element; Redis 6.2 has only two.
        var deleted = reply.Length > 2 ? Math.Max(reply[2].Length, 0) : 0;
        return ((RedisValue)reply[0], Math.Max(reply[1].Length, 0), deleted, null);
    }

    /// <summary>XCLAIM <paramref name="ids"/> (at most a few hundred) idle at least <paramref name="minIdleMs"/>.</summary>
    /// <returns>How many were claimed.</returns>
    public async Task<(int Claimed, string? FencedBy)> ClaimAsync(IDatabase redis, long minIdleMs, List<RedisValue> ids)
    {
        var args = new RedisValue[3 + ids.Count];
        args[0] = Group;
        args[1] = _consumer;
        args[2] = minIdleMs;
        ids.CopyTo(args, 3);
        var reply = await redis.ScriptEvaluateAsync(RedisTickFenceScripts.Claim, _keys, args).ConfigureAwait(false);
        return IsFenced(reply, out var owner) ? (0, owner) : (Math.Max(reply.Length, 0), null);
    }

    // A guarded command's reply is an array, an integer or nil; a bulk string is the owner that fenced the caller.
    private static bool IsFenced(RedisResult reply, out string? owner)
    {
        owner = reply.Resp2Type == ResultType.BulkString && !reply.IsNull ? reply.ToString() : null;
        return owner is not null;
    }
}
