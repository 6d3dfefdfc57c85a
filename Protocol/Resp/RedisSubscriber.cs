using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ticker.Protocol.Resp;

/// <summary>
/// A pub/sub connection of its own (a subscribed Redis connection accepts no other commands): SUBSCRIBE,
/// PSUBSCRIBE and their opposites, with every message delivered through <see cref="Messages"/>. It remembers what
/// is subscribed and subscribes to all of it again after a reconnect; messages published while it was down are
/// lost, as pub/sub always loses them.
/// </summary>
/// <remarks>
/// <see cref="Messages"/> is bounded: when the consumer falls behind, the reader waits (back-pressure, never a
/// silent drop) and the server buffers, up to its <c>client-output-buffer-limit pubsub</c>, beyond which it
/// disconnects the subscriber (which then reconnects). Each message allocates its strings and payload array.
/// </remarks>
public sealed class RedisSubscriber : IAsyncDisposable
{
    /// <summary>The default value for the capacity of <see cref="Messages"/>.</summary>
    public const int DefaultMessageCapacity = 10_000;

    private const string Kind = "subscriber";

    private readonly RedisConnectionOptions _options;
    private readonly Channel<RedisPubSubMessage> _messages;
    private readonly RedisReconnector<RedisPubSubSession> _reconnector;
    private readonly Lock _sync = new();
    private readonly HashSet<string> _channels = new(StringComparer.Ordinal);
    private readonly HashSet<string> _patterns = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private RedisPubSubSession? _session;
    private int _disposed;

    private RedisSubscriber(RedisConnectionOptions options, ILogger logger, TimeProvider timeProvider, int messageCapacity)
    {
        _options = options;
        _logger = logger;
        _messages = Channel.CreateBounded<RedisPubSubMessage>(new BoundedChannelOptions(messageCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = true,
        });
        _reconnector = new RedisReconnector<RedisPubSubSession>(
            Kind,
            options,
            logger,
            timeProvider,
            token => RedisPubSubSession.ConnectAsync(options, timeProvider, _messages.Writer, token),
            Publish,
            args => ConnectionStateChanged?.Invoke(this, args));
    }

    /// <summary>Raised (on a background thread) when the connection goes down or comes back.</summary>
    public event EventHandler<RedisConnectionStateChangedEventArgs>? ConnectionStateChanged;

    /// <summary>The messages of every subscription, in the order the server pushed them.</summary>
    public ChannelReader<RedisPubSubMessage> Messages => _messages.Reader;

    /// <summary>Whether the connection is up.</summary>
    public bool IsConnected => _reconnector.Current is not null;

    /// <summary>How many times the connection has been re-established since it was created (for metrics).</summary>
    public long ReconnectCount => _reconnector.ReconnectCount;

    /// <summary>Connects and authenticates (the first attempt must succeed).</summary>
    /// <param name="options">Where and how to connect (copied; <see cref="RedisConnectionOptions.Database"/> does not scope pub/sub).</param>
    /// <param name="logger">Where connection events go.</param>
    /// <param name="timeProvider">The clock for backoff; the system clock when <see langword="null"/>.</param>
    /// <param name="messageCapacity">How many messages <see cref="Messages"/> holds before the reader waits.</param>
    /// <param name="cancellationToken">Abandons the attempt.</param>
    /// <returns>The connected subscriber.</returns>
    /// <exception cref="RedisAuthenticationException">The server refused the credentials.</exception>
    /// <exception cref="RedisConnectionException">The server could not be reached within the connect timeout.</exception>
    public static async Task<RedisSubscriber> ConnectAsync(
        RedisConnectionOptions options,
        ILogger? logger = null,
        TimeProvider? timeProvider = null,
        int messageCapacity = DefaultMessageCapacity,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(messageCapacity, 1);
        options = options.Clone();
        options.Validate();
        timeProvider ??= TimeProvider.System;
        var subscriber = new RedisSubscriber(options, logger ?? NullLogger.Instance, timeProvider, messageCapacity);
        var first = await RedisPubSubSession.ConnectAsync(options, timeProvider, subscriber._messages.Writer, cancellationToken).ConfigureAwait(false);
        subscriber._reconnector.Start(first);
        return subscriber;
    }

    /// <summary>Completes when the connection is up (at once if it is).</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when connected.</returns>
    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken = default) =>
        _reconnector.WaitUntilConnectedAsync(cancellationToken);

    /// <summary>
    /// Subscribes to a channel. While connected, completes when the server has confirmed; while reconnecting, the
    /// subscription is recorded and made when the connection is back.
    /// </summary>
    /// <param name="channel">The channel name.</param>
    /// <param name="cancellationToken">Stops waiting for the confirmation (the subscription stays recorded).</param>
    /// <returns>A task that completes when subscribed (or recorded).</returns>
    public Task SubscribeAsync(string channel, CancellationToken cancellationToken = default) =>
        Change(_channels, channel, add: true, RespLiterals.SUBSCRIBE, cancellationToken);

    /// <summary>Subscribes to every channel matching a glob-style pattern (see <see cref="SubscribeAsync"/>).</summary>
    /// <param name="pattern">For example <c>ticks:*</c>.</param>
    /// <param name="cancellationToken">Stops waiting for the confirmation.</param>
    /// <returns>A task that completes when subscribed (or recorded).</returns>
    public Task PSubscribeAsync(string pattern, CancellationToken cancellationToken = default) =>
        Change(_patterns, pattern, add: true, RespLiterals.PSUBSCRIBE, cancellationToken);

    /// <summary>Unsubscribes from a channel.</summary>
    /// <param name="channel">The channel name.</param>
    /// <param name="cancellationToken">Stops waiting for the confirmation.</param>
    /// <returns>A task that completes when the server has confirmed (or at once while reconnecting).</returns>
    public Task UnsubscribeAsync(string channel, CancellationToken cancellationToken = default) =>
        Change(_channels, channel, add: false, RespLiterals.UNSUBSCRIBE, cancellationToken);

    /// <summary>Unsubscribes from a pattern.</summary>
    /// <param name="pattern">The pattern, exactly as subscribed.</param>
    /// <param name="cancellationToken">Stops waiting for the confirmation.</param>
    /// <returns>A task that completes when the server has confirmed (or at once while reconnecting).</returns>
    public Task PUnsubscribeAsync(string pattern, CancellationToken cancellationToken = default) =>
        Change(_patterns, pattern, add: false, RespLiterals.PUNSUBSCRIBE, cancellationToken);

    /// <summary>Closes the connection and completes <see cref="Messages"/>.</summary>
    /// <returns>A task that completes when closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _reconnector.StopAsync().ConfigureAwait(false);
        _messages.Writer.TryComplete();
    }

    private Task Change(HashSet<string> names, string name, bool add, ReadOnlySpan<byte> command, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var encoded = RedisPubSubSession.Encode(command, name);
        var confirmation = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_sync)
        {
            if (add)
            {
                names.Add(name);
            }
            else
            {
                names.Remove(name);
            }

            // Under the lock, so a reconnect's resubscription either includes this change or comes before it.
            if (_session is null || !_session.TrySend(encoded, confirmation))
            {
                return Task.CompletedTask;
            }
        }

        return confirmation.Task.WaitAsync(cancellationToken);
    }

    // Called by the reconnector whenever the session changes; a new session first subscribes to everything again.
    private void Publish(RedisPubSubSession? session)
    {
        lock (_sync)
        {
            _session = session;
            if (session is null)
            {
                return;
            }

            foreach (var channel in _channels)
            {
                if (!session.TrySend(RedisPubSubSession.Encode(RespLiterals.SUBSCRIBE, channel), null))
                {
                    _logger.ResubscribeFailed(_options.EndPoint, "the connection closed while resubscribing");
                    return;
                }
            }

            foreach (var pattern in _patterns)
            {
                if (!session.TrySend(RedisPubSubSession.Encode(RespLiterals.PSUBSCRIBE, pattern), null))
                {
                    _logger.ResubscribeFailed(_options.EndPoint, "the connection closed while resubscribing");
                    return;
                }
            }
        }
    }
}
