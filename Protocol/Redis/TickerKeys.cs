using System.Buffers.Text;
using System.Globalization;

namespace Ticker.Protocol.Redis;

/// <summary>
/// The Redis keys and channels of the ticker: a public contract for consumers that read Redis directly (README,
/// "Redis keys and payloads").
/// </summary>
public static class TickerKeys
{
    /// <summary>The consumer group the silos read the tick streams with.</summary>
    public const string ConsumerGroup = "ticker";

    /// <summary>Entries that could not be decoded, with their reason (a stream).</summary>
    public const string DeadLetter = "tick:deadletter";

    /// <summary>Account states published by feeds (a hash: account id → JSON).</summary>
    public const string Accounts = "tick:accounts";

    /// <summary>The stream queue count every silo and feed of the cluster must use (a string, set by the first silo).</summary>
    public const string ClusterQueueCount = "tick:cluster:queues";

    /// <summary>The largest number of bytes <see cref="TryFormatSnapshot"/> writes.</summary>
    public const int MaxSnapshotKeyLength = 20;

    /// <summary><c>tick:in:{queue}</c>: one queue of the tick stream (a Redis stream read with group <see cref="ConsumerGroup"/>).</summary>
    public static string InputStream(int queue) => string.Create(CultureInfo.InvariantCulture, $"tick:in:{queue}");

    /// <summary>
    /// <c>tick:in:{shard}:owner</c>: who reads the tick stream of one shard (a hash: <c>consumer</c> = the reading
    /// silo's consumer name, <c>epoch</c> = how many times the stream changed hands). Reads and acknowledgements of
    /// any other consumer are refused.
    /// </summary>
    public static string InputOwner(int shard) => string.Create(CultureInfo.InvariantCulture, $"tick:in:{shard}:owner");

    /// <summary><c>tick:snap:{token}</c>: the latest snapshot of an instrument (a hash).</summary>
    public static string Snapshot(uint token) => string.Create(CultureInfo.InvariantCulture, $"tick:snap:{token}");

    /// <summary><c>tick:chain:{underlying}:{expiry}</c>: option tokens of one expiry, scored by strike (a sorted set).</summary>
    public static string Chain(string underlying, DateOnly expiry) =>
        string.Create(CultureInfo.InvariantCulture, $"tick:chain:{underlying}:{expiry:yyyy-MM-dd}");

    /// <summary><c>tick:updates:{underlying}</c>: the pub/sub channel of an underlying's flushed snapshots.</summary>
    public static string Updates(string underlying) => $"tick:updates:{underlying}";

    /// <summary>Writes <c>tick:snap:{token}</c> as UTF-8 without allocating.</summary>
    public static bool TryFormatSnapshot(uint token, Span<byte> destination, out int written)
    {
        written = 0;
        var prefix = "tick:snap:"u8;
        if (!prefix.TryCopyTo(destination) || !Utf8Formatter.TryFormat(token, destination[prefix.Length..], out var digits))
        {
            return false;
        }

        written = prefix.Length + digits;
        return true;
    }
}
