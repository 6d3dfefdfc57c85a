using System.Collections.Concurrent;
using System.Text.Json;
using StackExchange.Redis;

namespace Ticker.Tests.Silo.Cluster;

/// <summary>
/// Listens to every <c>tick:updates:*</c> channel and remembers, per instrument, the highest <c>ticks</c> published,
/// noting each update whose <c>ticks</c> is below one published before (a stale snapshot overwriting a newer one).
/// </summary>
internal sealed class SnapshotUpdateRecorder : IAsyncDisposable
{
    private const int MaxNotes = 50;
    private static readonly RedisChannel Updates = RedisChannel.Pattern("tick:updates:*");

    private readonly ConcurrentDictionary<uint, long> _latest = new();
    private readonly List<string> _backwards = [];
    private readonly ChannelMessageQueue _queue;
    private long _messages;
    private long _backwardCount;

    private SnapshotUpdateRecorder(ChannelMessageQueue queue)
    {
        _queue = queue;

        // OnMessage hands messages over one at a time in the order Redis sent them.
        _queue.OnMessage(Record);
    }

    /// <summary>Messages received so far.</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Updates whose ticks went below an earlier update of the same instrument.</summary>
    public long BackwardCount => Interlocked.Read(ref _backwardCount);

    /// <summary>The first few backward updates, described.</summary>
    public IReadOnlyList<string> Backwards
    {
        get
        {
            lock (_backwards)
            {
                return [.. _backwards];
            }
        }
    }

    /// <summary>Subscribes through <paramref name="redis"/> (PSUBSCRIBE tick:updates:*).</summary>
    public static async Task<SnapshotUpdateRecorder> StartAsync(IConnectionMultiplexer redis) =>
        new(await redis.GetSubscriber().SubscribeAsync(Updates));

    /// <summary>The highest ticks published for <paramref name="token"/> (0 when none).</summary>
    public long LatestTicks(uint token) => _latest.GetValueOrDefault(token);

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _queue.UnsubscribeAsync();

    private void Record(ChannelMessage message)
    {
        Interlocked.Increment(ref _messages);
        using var json = JsonDocument.Parse((byte[])message.Message!);
        foreach (var update in json.RootElement.EnumerateArray())
        {
            var token = update.GetProperty("instrument_token").GetUInt32();
            var ticks = update.GetProperty("ticks").GetInt64();
            var before = _latest.GetValueOrDefault(token);
            if (ticks < before)
            {
                Interlocked.Increment(ref _backwardCount);
                lock (_backwards)
                {
                    if (_backwards.Count < MaxNotes)
                    {
                        _backwards.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {message.Channel}: token {token} ticks {before} -> {ticks}");
                    }
                }
            }
            else
            {
                _latest[token] = ticks;
            }
        }
    }
}
