using System.Collections.Frozen;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Protocol.Redis;

namespace Ticker.Client.Library;

/// <summary>
/// The client's pub/sub, shared by all of its subscriptions: subscribes to a channel while at least one subscription
/// listens to it, parses each published array once and hands every update to the subscriptions that want it. The
/// multiplexer's subscriber underneath reconnects and resubscribes by itself; each channel's messages are handled
/// in order (a <see cref="ChannelMessageQueue"/> per channel).
/// </summary>
/// <remarks>
/// Dispatch never waits: each subscription's buffer drops its oldest update when full, so one slow consumer can
/// neither hold up the others nor make the server buffer for it.
/// </remarks>
internal sealed class UpdateHub : IAsyncDisposable
{
    private const string ChannelPrefix = "tick:updates:";

    private readonly IConnectionMultiplexer _redis;
    private readonly ISubscriber _subscriber;
    private readonly InstrumentMaster _master;
    private readonly ILogger _logger;
    private readonly TimeSpan _unsubscribeTimeout;
    private readonly SemaphoreSlim _changes = new(1, 1);
    private readonly Lock _sync = new();
    private readonly Dictionary<string, Listeners> _byChannel = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ChannelMessageQueue> _queues = new(StringComparer.Ordinal);
    private long _reconnects;
    private long _dropped;
    private long _malformed;
    private long _delivered;
    private int _disposed;

    /// <summary>Creates the hub over <paramref name="redis"/>'s subscriber.</summary>
    /// <param name="redis">The client's multiplexer (not disposed by the hub).</param>
    /// <param name="master">Enriches updates with strike, expiry and tradingsymbol.</param>
    /// <param name="logger">Where malformed updates and drops are logged.</param>
    public UpdateHub(IConnectionMultiplexer redis, InstrumentMaster master, ILogger logger)
    {
        _redis = redis;
        _subscriber = redis.GetSubscriber();
        _master = master;
        _logger = logger;
        _unsubscribeTimeout = TimeSpan.FromMilliseconds(redis.TimeoutMilliseconds);
        redis.ConnectionRestored += OnConnectionRestored;
    }

    /// <summary>Updates dropped by subscriptions that fell behind, since the hub was created.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Published objects that could not be parsed.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>Updates handed to subscriptions (before any drop).</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Updates buffered now over all subscriptions (each holds at most its capacity).</summary>
    public long Buffered
    {
        get
        {
            var seen = new HashSet<UpdateSubscription>();
            long buffered = 0;
            lock (_sync)
            {
                foreach (var listeners in _byChannel.Values)
                {
                    foreach (var subscription in listeners.Subscriptions)
                    {
                        if (seen.Add(subscription))
                        {
                            buffered += subscription.Reader.Count;
                        }
                    }
                }
            }

            return buffered;
        }
    }

    /// <summary>Reconnects of the pub/sub connection since the hub was created.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>
    /// Adds a subscription and subscribes to those of its channels nobody listened to yet. While Redis is down the
    /// multiplexer holds the SUBSCRIBE until it is back (up to its timeout).
    /// </summary>
    public async Task<UpdateSubscription> AddAsync(string[] channels, FrozenSet<uint>? tokens, int capacity, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var subscription = new UpdateSubscription(channels, tokens, capacity, OnDropped);
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var fresh = new List<string>();
            lock (_sync)
            {
                foreach (var channel in channels)
                {
                    if (!_byChannel.TryGetValue(channel, out var listeners))
                    {
                        listeners = new Listeners(channel[ChannelPrefix.Length..], []);
                        fresh.Add(channel);
                    }

                    _byChannel[channel] = listeners with { Subscriptions = [.. listeners.Subscriptions, subscription] };
                }
            }

            try
            {
                foreach (var channel in fresh)
                {
                    await SubscribeAsync(channel, cancellationToken).ConfigureAwait(false);
                }
            }
            catch
            {
                await RemoveCoreAsync(subscription).ConfigureAwait(false);
                throw;
            }

            return subscription;
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>Removes a subscription and unsubscribes from channels nobody listens to any more.</summary>
    public async Task RemoveAsync(UpdateSubscription subscription)
    {
        subscription.Complete();
        await _changes.WaitAsync().ConfigureAwait(false);
        try
        {
            await RemoveCoreAsync(subscription).ConfigureAwait(false);
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>Ends every subscription's enumeration and closes the pub/sub connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        lock (_sync)
        {
            foreach (var listeners in _byChannel.Values)
            {
                foreach (var subscription in listeners.Subscriptions)
                {
                    subscription.Complete();
                }
            }
        }

        _redis.ConnectionRestored -= OnConnectionRestored;
        ChannelMessageQueue[] queues;
        lock (_sync)
        {
            queues = [.. _queues.Values];
            _queues.Clear();
        }

        // Together: while Redis is down each one waits out the timeout.
        await Task.WhenAll(Array.ConvertAll(queues, UnsubscribeAsync)).ConfigureAwait(false);
    }

    private async Task SubscribeAsync(string channel, CancellationToken cancellationToken)
    {
        var queue = await _subscriber.SubscribeAsync(RedisChannel.Literal(channel)).WaitAsync(cancellationToken).ConfigureAwait(false);

        // Handled one message at a time, in the order published (handlers given to Subscribe would run concurrently).
        queue.OnMessage(message => Dispatch(channel, message.Message));
        lock (_sync)
        {
            _queues[channel] = queue;
        }
    }

    private async Task UnsubscribeAsync(ChannelMessageQueue queue)
    {
        try
        {
            await queue.UnsubscribeAsync().WaitAsync(_unsubscribeTimeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            // Down or closing: nothing to undo (a reconnect resubscribes only to what is still subscribed).
            _logger.UnsubscribeFailed(queue.Channel.ToString(), ex.Message);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            Interlocked.Increment(ref _reconnects);
        }
    }

    private async Task RemoveCoreAsync(UpdateSubscription subscription)
    {
        var empty = new List<ChannelMessageQueue>();
        lock (_sync)
        {
            foreach (var channel in subscription.Channels)
            {
                if (!_byChannel.TryGetValue(channel, out var listeners))
                {
                    continue;
                }

                var remaining = Array.FindAll(listeners.Subscriptions, s => !ReferenceEquals(s, subscription));
                if (remaining.Length == 0)
                {
                    _byChannel.Remove(channel);
                    if (_queues.Remove(channel, out var queue))
                    {
                        empty.Add(queue);
                    }
                }
                else
                {
                    _byChannel[channel] = listeners with { Subscriptions = remaining };
                }
            }
        }

        foreach (var queue in empty)
        {
            await UnsubscribeAsync(queue).ConfigureAwait(false);
        }
    }

    private void OnDropped()
    {
        var dropped = Interlocked.Increment(ref _dropped);

        // Powers of two: the first drop is logged, and then ever more rarely.
        if ((dropped & (dropped - 1)) == 0)
        {
            _logger.UpdatesDropped(dropped);
        }
    }

    private void Dispatch(string channel, RedisValue payload)
    {
        Listeners? listeners;
        lock (_sync)
        {
            _byChannel.TryGetValue(channel, out listeners);
        }

        if (listeners is null)
        {
            return;
        }

        try
        {
            // A received message holds its bytes, so viewing it as memory copies nothing.
            var reader = new Utf8JsonReader(((ReadOnlyMemory<byte>)payload).Span);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                throw new JsonException("The payload is not a JSON array.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                if (!SnapshotUpdateJson.TryRead(ref reader, out var snapshot))
                {
                    Interlocked.Increment(ref _malformed);
                    continue;
                }

                var update = Enrich(listeners.Name, snapshot);
                foreach (var subscription in listeners.Subscriptions)
                {
                    if (subscription.Wants(update.InstrumentToken))
                    {
                        Interlocked.Increment(ref _delivered);
                        subscription.Offer(in update);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            Interlocked.Increment(ref _malformed);
            _logger.MalformedUpdate(channel, ex.Message);
        }
    }

    private SnapshotUpdate Enrich(string underlying, Ticker.Grains.Interfaces.Snapshots.InstrumentSnapshot snapshot)
    {
        if (!_master.TryGet(snapshot.InstrumentToken, out var instrument))
        {
            return new SnapshotUpdate(underlying, null, snapshot);
        }

        if (instrument.Kind != InstrumentKind.Underlying)
        {
            snapshot.Strike = instrument.Strike;
            snapshot.ExpiryDayNumber = instrument.Expiry?.DayNumber ?? 0;
            snapshot.UnderlyingToken = instrument.UnderlyingToken;
        }

        return new SnapshotUpdate(underlying, instrument.TradingSymbol, snapshot);
    }

    /// <summary>The subscriptions of one channel (replaced whole on change, so dispatch reads it without a lock).</summary>
    private sealed record Listeners(string Name, UpdateSubscription[] Subscriptions);
}
