using Ticker.Grains.Diagnostics;
using System.Text.Json;
using StackExchange.Redis;
using Ticker.Silo.Diagnostics;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Silo.LoadTest;

/// <summary>
/// The measuring subscriber: PSUBSCRIBE <c>tick:updates:*</c>, end-to-end latency (now − <c>received_at_us</c>) of
/// every published snapshot into an overall histogram and a per-second window.
/// </summary>
internal sealed class LatencySubscriber : IAsyncDisposable
{
    private readonly ChannelMessageQueue _updates;
    private readonly long[] _total = new long[LatencyHistogram.BucketCount];
    private readonly Lock _gate = new();
    private long[] _window = new long[LatencyHistogram.BucketCount];
    private long _windowMaxNs;
    private long _maxNs;
    private long _firstUpdateTicks;

    private LatencySubscriber(ChannelMessageQueue updates)
    {
        _updates = updates;

        // One message at a time, in order: the histograms are not shared with another reader.
        _updates.OnMessage(message => Record(message.Message));
    }

    /// <summary>Updates seen.</summary>
    public long Updates { get; private set; }

    /// <summary>When the first update arrived (Stopwatch timestamp; 0 before).</summary>
    public long FirstUpdateTimestamp => Volatile.Read(ref _firstUpdateTicks);

    /// <summary>Subscribes to every update channel.</summary>
    /// <param name="redis">The process's multiplexer.</param>
    /// <returns>The subscriber, measuring.</returns>
    public static async Task<LatencySubscriber> StartAsync(IConnectionMultiplexer redis)
    {
        var updates = await redis.GetSubscriber().SubscribeAsync(RedisChannel.Pattern("tick:updates:*")).ConfigureAwait(false);
        return new LatencySubscriber(updates);
    }

    /// <summary>P50, P99 and max (ms) of the window since the last call; resets the window.</summary>
    public (double P50, double P99, double Max) TakeWindow()
    {
        long[] window;
        long max;
        lock (_gate)
        {
            window = _window;
            max = _windowMaxNs;
            _window = new long[LatencyHistogram.BucketCount];
            _windowMaxNs = 0;
        }

        return (Ms(Math.Min(max, LatencyHistogram.Quantile(window, 0.50))), Ms(Math.Min(max, LatencyHistogram.Quantile(window, 0.99))), Ms(max));
    }

    /// <summary>P50, P95, P99, max (ms) over the whole run.</summary>
    public (double P50, double P95, double P99, double Max) Totals()
    {
        lock (_gate)
        {
            // A quantile is its bucket's upper bound, so it is capped at the exact maximum.
            return (Ms(Math.Min(_maxNs, LatencyHistogram.Quantile(_total, 0.50))), Ms(Math.Min(_maxNs, LatencyHistogram.Quantile(_total, 0.95))), Ms(Math.Min(_maxNs, LatencyHistogram.Quantile(_total, 0.99))), Ms(_maxNs));
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _updates.UnsubscribeAsync().ConfigureAwait(false);
        }
        catch (RedisException)
        {
            // Redis is gone: nothing left to unsubscribe from.
        }
    }

    private static double Ms(long nanoseconds) => nanoseconds / 1e6;

    private void Record(RedisValue payload)
    {
        var nowUs = TimeProvider.System.MicrosecondsNow();
        if (_firstUpdateTicks == 0)
        {
            Volatile.Write(ref _firstUpdateTicks, System.Diagnostics.Stopwatch.GetTimestamp());
        }

        var json = new Utf8JsonReader(((ReadOnlyMemory<byte>)payload).Span);
        lock (_gate)
        {
            while (json.Read())
            {
                if (json.TokenType == JsonTokenType.PropertyName && json.ValueTextEquals("received_at_us"u8) && json.Read() && json.TryGetInt64(out var receivedUs) && receivedUs > 0)
                {
                    var ns = (nowUs - receivedUs) * 1000;
                    var index = LatencyHistogram.IndexOf(ns < 0 ? 0 : ns);
                    _total[index]++;
                    _window[index]++;
                    _maxNs = Math.Max(_maxNs, ns);
                    _windowMaxNs = Math.Max(_windowMaxNs, ns);
                    Updates++;
                }
            }
        }
    }
}
