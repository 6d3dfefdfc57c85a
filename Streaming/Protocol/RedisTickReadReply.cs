using StackExchange.Redis;

namespace Ticker.Streaming.Protocol;

/// <summary>Turns the XREADGROUP reply a script passed through (<see cref="RedisTickFenceScripts.Read"/>) into entries.</summary>
internal static class RedisTickReadReply
{
    /// <summary>
    /// The entries of a one-stream XREADGROUP reply, <c>[[stream, [[id, [field, value, …]], …]]]</c>, or none for nil.
    /// An entry of the pending list whose stream entry is gone (trimmed or deleted) comes with nil fields and is
    /// returned without values.
    /// </summary>
    /// <remarks>Allocates the array and one <see cref="NameValueEntry"/> array per entry; ids and values are the reply's own.</remarks>
    public static StreamEntry[] Parse(RedisResult reply)
    {
        if (reply.IsNull || reply.Length <= 0)
        {
            return [];
        }

        var read = reply[0][1];
        if (read.IsNull || read.Length <= 0)
        {
            return [];
        }

        var entries = new StreamEntry[read.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = read[i];
            var fields = entry[1];
            var values = Array.Empty<NameValueEntry>();
            if (!fields.IsNull && fields.Length > 1)
            {
                values = new NameValueEntry[fields.Length / 2];
                for (var f = 0; f < values.Length; f++)
                {
                    values[f] = new NameValueEntry((RedisValue)fields[2 * f], (RedisValue)fields[(2 * f) + 1]);
                }
            }

            entries[i] = new StreamEntry((RedisValue)entry[0], values);
        }

        return entries;
    }
}
