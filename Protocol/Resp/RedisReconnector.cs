using Microsoft.Extensions.Logging;

namespace Ticker.Protocol.Resp;

/// <summary>
/// Keeps one physical connection up: when the current one completes it reports the loss, then reconnects with
/// capped exponential backoff and jitter until it succeeds or is stopped. The only place that reconnects.
/// </summary>
/// <typeparam name="TSession">The physical connection type.</typeparam>
internal sealed class RedisReconnector<TSession>
    where TSession : class, IRedisSession
{
    private readonly string _kind;
    private readonly RedisConnectionOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Func<CancellationToken, Task<TSession>> _connect;
    private readonly Action<TSession?> _publish;
    private readonly Action<RedisConnectionStateChangedEventArgs> _notify;
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _up = NewSignal();
    private TSession? _current;
    private long _reconnectCount;
    private Task _loop = Task.CompletedTask;

    /// <summary>Creates the reconnector.</summary>
    /// <param name="kind">What the connection is for (<c>commands</c>, <c>subscriber</c>), for the logs.</param>
    /// <param name="options">Where to connect and the backoff settings.</param>
    /// <param name="logger">Where the connection events go.</param>
    /// <param name="timeProvider">The clock for the backoff delays.</param>
    /// <param name="connect">Opens a new physical connection.</param>
    /// <param name="publish">Called (before <paramref name="notify"/>) with the new connection, or null when it is down.</param>
    /// <param name="notify">Raises the owner's state-changed event.</param>
    public RedisReconnector(
        string kind,
        RedisConnectionOptions options,
        ILogger logger,
        TimeProvider timeProvider,
        Func<CancellationToken, Task<TSession>> connect,
        Action<TSession?> publish,
        Action<RedisConnectionStateChangedEventArgs> notify)
    {
        _kind = kind;
        _options = options;
        _logger = logger;
        _timeProvider = timeProvider;
        _connect = connect;
        _publish = publish;
        _notify = notify;
    }

    /// <summary>The connection that is up, or <see langword="null"/> while reconnecting.</summary>
    public TSession? Current => Volatile.Read(ref _current);

    /// <summary>How many times the connection has been re-established.</summary>
    public long ReconnectCount => Interlocked.Read(ref _reconnectCount);

    /// <summary>Whether the reconnector has been stopped.</summary>
    public bool IsStopped => _stop.IsCancellationRequested;

    /// <summary>Starts supervising the first connection.</summary>
    /// <param name="first">The connection made by the owner's <c>ConnectAsync</c>.</param>
    public void Start(TSession first)
    {
        SetCurrent(first);
        _logger.Connected(_options.EndPoint, _options.Database, _kind);
        _loop = RunAsync(first);
    }

    /// <summary>Completes when a connection is up (at once if one is).</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when connected.</returns>
    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _up).Task.WaitAsync(cancellationToken);

    /// <summary>Stops reconnecting and closes the current connection.</summary>
    /// <returns>A task that completes when the connection has closed.</returns>
    public async ValueTask StopAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        Current?.Abort(new RedisConnectionException($"The connection to {_options.EndPoint} was disposed."));
        await _loop.ConfigureAwait(false);
        Volatile.Read(ref _up).TrySetException(new ObjectDisposedException(_kind));
    }

    /// <summary>
    /// The delay before reconnection attempt <paramref name="attempt"/> (from 0): the base delay doubled per attempt,
    /// capped, then drawn uniformly from its upper half so that many clients do not retry in step.
    /// </summary>
    /// <param name="attempt">How many attempts have failed.</param>
    /// <param name="baseDelay">The first delay.</param>
    /// <param name="maxDelay">The cap.</param>
    /// <param name="random">The jitter source.</param>
    /// <returns>The delay.</returns>
    internal static TimeSpan Backoff(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, Random random)
    {
        var capped = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));
        return TimeSpan.FromMilliseconds((capped / 2) + (random.NextDouble() * capped / 2));
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void SetCurrent(TSession? session)
    {
        Volatile.Write(ref _current, session);
        _publish(session);
        if (session is null)
        {
            if (Volatile.Read(ref _up).Task.IsCompleted)
            {
                Volatile.Write(ref _up, NewSignal());
            }
        }
        else
        {
            Volatile.Read(ref _up).TrySetResult();
        }
    }

    private async Task RunAsync(TSession session)
    {
        var token = _stop.Token;
        while (true)
        {
            var reason = await session.Completion.ConfigureAwait(false);
            SetCurrent(null);
            if (token.IsCancellationRequested)
            {
                return;
            }

            _logger.Disconnected(_options.EndPoint, _kind, reason.Message);
            Notify(new RedisConnectionStateChangedEventArgs(false, ReconnectCount, reason));

            var attempt = 0;
            var delay = Backoff(attempt, _options.ReconnectBaseDelay, _options.ReconnectMaxDelay, Random.Shared);
            while (true)
            {
                try
                {
                    await Task.Delay(delay, _timeProvider, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                attempt++;
                try
                {
                    session = await _connect(token).ConfigureAwait(false);
                    break;
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    delay = Backoff(attempt, _options.ReconnectBaseDelay, _options.ReconnectMaxDelay, Random.Shared);
                    _logger.ReconnectFailed(_options.EndPoint, _kind, attempt, (long)delay.TotalMilliseconds, ex.Message);
                }
            }

            var count = Interlocked.Increment(ref _reconnectCount);
            SetCurrent(session);
            if (token.IsCancellationRequested)
            {
                // Stopped while connecting: StopAsync may have missed this connection.
                session.Abort(new RedisConnectionException($"The connection to {_options.EndPoint} was disposed."));
                continue;
            }

            _logger.Reconnected(_options.EndPoint, _kind, attempt, count);
            Notify(new RedisConnectionStateChangedEventArgs(true, count, null));
        }
    }

    private void Notify(RedisConnectionStateChangedEventArgs args)
    {
        try
        {
            _notify(args);
        }
        catch (Exception ex)
        {
            _logger.StateHandlerFailed(ex);
        }
    }
}
