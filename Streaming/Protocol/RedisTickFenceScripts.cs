namespace Ticker.Streaming.Protocol;

/// <summary>
/// The Lua scripts that fence a queue to its owner (<c>tick:in:{queue}:owner</c>, a hash of <c>consumer</c> and
/// <c>epoch</c>). Every script but <see cref="TakeOver"/> runs its command only while the owner is the calling
/// consumer; otherwise it does nothing and replies with the owner's name (a bulk string, a reply none of the guarded
/// commands gives), which is how the caller learns it was fenced.
/// </summary>
/// <remarks>
/// <para>Keys and arguments of the guarded scripts: <c>KEYS[1]</c> = the stream, <c>KEYS[2]</c> = the owner hash,
/// <c>ARGV[1]</c> = the consumer group, <c>ARGV[2]</c> = the calling consumer, then the command's own arguments.</para>
/// <para>A queue with no owner (the key was deleted, or Redis lost its data) is adopted by the first consumer that
/// calls, so a Redis restart without persistence does not fence every receiver.</para>
/// <para>Scripts are sent with <c>IDatabase.ScriptEvaluateAsync(string, …)</c>: StackExchange.Redis loads each once per
/// connection (SCRIPT LOAD), then sends EVALSHA, and loads it again after a NOSCRIPT (a restarted server) — what
/// <c>LuaScript</c> does, without its parameter object read by reflection on every call.</para>
/// </remarks>
internal static class RedisTickFenceScripts
{
    /// <summary>
    /// Makes <c>ARGV[1]</c> the owner of <c>KEYS[1]</c> (the owner hash), whoever owned it, and replies
    /// <c>{previous owner or '', new epoch}</c>.
    /// </summary>
    public const string TakeOver = """
        local previous = redis.call('HGET', KEYS[1], 'consumer') or ''
        redis.call('HSET', KEYS[1], 'consumer', ARGV[1])
        return {previous, redis.call('HINCRBY', KEYS[1], 'epoch', 1)}
        """;

    /// <summary>
    /// <c>XREADGROUP GROUP ARGV[1] ARGV[2] COUNT ARGV[3] STREAMS KEYS[1] ARGV[4]</c> while owning: its reply (an array,
    /// or nil when nothing is new); the owner's name when fenced.
    /// </summary>
    public const string Read = OwnerCheck + """
        return redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', ARGV[3], 'STREAMS', KEYS[1], ARGV[4])
        """;

    /// <summary>
    /// <c>XACK KEYS[1] ARGV[1] ARGV[3…]</c> while owning: the number of entries removed from the pending list; the
    /// owner's name when fenced. The ids go to XACK in chunks (Lua's <c>unpack</c> has a stack limit).
    /// </summary>
    public const string Acknowledge = OwnerCheck + """
        local acked = 0
        for i = 3, #ARGV, 1000 do
            acked = acked + redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
        end
        return acked
        """;

    /// <summary>
    /// <c>XAUTOCLAIM KEYS[1] ARGV[1] ARGV[2] ARGV[3] ARGV[4] COUNT ARGV[5] JUSTID</c> (ARGV[3] = minimum idle time in ms,
    /// ARGV[4] = cursor) while owning: its reply <c>{next cursor, claimed ids, deleted ids}</c>; the owner's name when
    /// fenced.
    /// </summary>
    public const string AutoClaim = OwnerCheck + """
        return redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], 'COUNT', ARGV[5], 'JUSTID')
        """;

    /// <summary>
    /// <c>XCLAIM KEYS[1] ARGV[1] ARGV[2] ARGV[3] ARGV[4…] JUSTID</c> (ARGV[3] = minimum idle time in ms) while owning:
    /// the ids claimed; the owner's name when fenced. At most a few hundred ids per call.
    /// </summary>
    public const string Claim = OwnerCheck + """
        local command = {'XCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3]}
        for i = 4, #ARGV do
            command[#command + 1] = ARGV[i]
        end
        command[#command + 1] = 'JUSTID'
        return redis.call(unpack(command))
        """;

    // Replies with the owner's name unless it is the caller; adopts a queue that has no owner.
    private const string OwnerCheck = """
        local owner = redis.call('HGET', KEYS[2], 'consumer')
        if not owner then
            redis.call('HSET', KEYS[2], 'consumer', ARGV[2])
            redis.call('HINCRBY', KEYS[2], 'epoch', 1)
        elseif owner ~= ARGV[2] then
            return owner
        end

        """;
}
