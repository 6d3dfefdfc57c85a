using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Ticker.Client.Ingestion;
using Ticker.Client.Recording;
using Ticker.Grains.Accounts;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Protocol.Kite;

namespace Ticker.Client.Kite;

/// <summary>
/// One Kite ticker WebSocket of one account: connects with the API key and access token, (re)subscribes the
/// instruments it owns in their modes, hands every binary frame to its <see cref="IngestWriter"/> and counts text
/// messages by type. It stays alive on its own: a data-silence watchdog closes a connection that went quiet, failed
/// attempts back off exponentially with jitter up to a cap, and refused credentials are reported, not retried in a
/// loop. It never throws for a network problem and never ends the process.
/// </summary>
/// <remarks>
/// The receive loop only reassembles a message into one pooled buffer (grown when a message is larger, never
/// allocated per frame), decodes it and enqueues the ticks; logging is rate-limited and never per frame.
/// Subscription changes may come from any thread; <see cref="RunAsync"/> is called once.
/// </remarks>
public sealed partial class KiteConnection
{
    /// <summary>The largest message accepted; a larger one ends the session (Kite's frames are far smaller).</summary>
    public const int MaxMessageSize = 16 * 1024 * 1024;

    private const int InitialBufferSize = 64 * 1024;

    private static readonly TickMode[] AllModes = [TickMode.Ltp, TickMode.Quote, TickMode.Full];

    private readonly KiteOptions _options;
    private readonly KiteCredentials _credentials;
    private readonly ConnectionState? _state;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly KiteRecordingWriter? _recording;
    private readonly IKiteConnectionObserver? _observer;
    private readonly KiteBackoff _backoff;
    private readonly Dictionary<uint, TickMode> _subscriptions = [];
    private readonly Lock _subscriptionLock = new();
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly ArrayBufferWriter<byte> _sendBuffer = new(16 * 1024);
    private readonly long[] _textMessages = new long[Enum.GetValues<KiteTextMessageType>().Length];
    private readonly KiteLogLimiter _failureLog;
    private readonly KiteLogLimiter _textLog;
    private byte[] _receiveBuffer = [];
    private ClientWebSocket? _session;
    private long _lastFrameTimestamp;
    private int _ingesting;
    private int _staleFired;
    private int _status;
    private int _started;
    private long _connectAttempts;
    private long _sessions;
    private long _staleCloses;
    private long _rejections;
    private long _messagesSent;

    /// <summary>Creates connection number <paramref name="index"/> of an account.</summary>
    /// <param name="options">URL, staleness and reconnect settings (its account list is not used here).</param>
    /// <param name="credentials">The API key and the source of the access token.</param>
    /// <param name="index">The connection's number within the account (0..2).</param>
    /// <param name="ingest">Where binary frames go; owned by this connection (one producer).</param>
    /// <param name="state">The account grain's state of this connection, updated as it runs.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where connects, drops and refusals are logged (rate-limited, token redacted).</param>
    /// <param name="recording">When given, every binary frame is also recorded there.</param>
    /// <param name="observer">When given, hears frames, decode errors, reconnects and stale closes (metrics).</param>
    public KiteConnection(
        KiteOptions options,
        KiteCredentials credentials,
        int index,
        IngestWriter ingest,
        ConnectionState? state,
        TimeProvider time,
        ILogger logger,
        KiteRecordingWriter? recording = null,
        IKiteConnectionObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(ingest);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _credentials = credentials;
        Index = index;
        Ingest = ingest;
        _state = state;
        _time = time;
        _logger = logger;
        _recording = recording;
        _observer = observer;
        if (observer is not null)
        {
            ingest.DecodeFailed += observer.OnDecodeError;
        }

        var reconnect = options.Reconnect ?? new KiteReconnectOptions();
        _backoff = new KiteBackoff(reconnect.InitialDelay, reconnect.MaxDelay);
        _failureLog = new KiteLogLimiter(time, KiteLogLimiter.DefaultInterval);
        _textLog = new KiteLogLimiter(time, KiteLogLimiter.DefaultInterval);
        Name = $"{credentials.ApiKey}#{index}";
    }

    /// <summary>The connection's number within its account.</summary>
    public int Index { get; }

    /// <summary>The connection's name in logs: <c>api_key#index</c>.</summary>
    public string Name { get; }

    /// <summary>The ingest writer of this connection (frames, heartbeats, ticks, decode errors).</summary>
    public IngestWriter Ingest { get; }

    /// <summary>Where the connection is now.</summary>
    public KiteConnectionStatus Status => (KiteConnectionStatus)Volatile.Read(ref _status);

    /// <summary>WebSocket upgrades attempted (the first connect and every reconnect).</summary>
    public long ConnectAttempts => Volatile.Read(ref _connectAttempts);

    /// <summary>Upgrades that succeeded.</summary>
    public long Sessions => Volatile.Read(ref _sessions);

    /// <summary>Sessions closed by the data-silence watchdog.</summary>
    public long StaleCloses => Volatile.Read(ref _staleCloses);

    /// <summary>Upgrades Kite refused with HTTP 403 (or 401): bad API key or access token.</summary>
    public long CredentialRejections => Volatile.Read(ref _rejections);

    /// <summary>Subscribe, unsubscribe and mode messages sent.</summary>
    public long MessagesSent => Volatile.Read(ref _messagesSent);

    /// <summary>Instruments this connection owns (subscribed now or at the next connect).</summary>
    public int SubscriptionCount
    {
        get
        {
            lock (_subscriptionLock)
            {
                return _subscriptions.Count;
            }
        }
    }

    /// <summary>Text messages received of <paramref name="type"/>.</summary>
    public long TextMessages(KiteTextMessageType type) => Volatile.Read(ref _textMessages[(int)type]);

    /// <summary>A copy of the subscription list: token → mode.</summary>
    public IReadOnlyDictionary<uint, TickMode> Subscriptions()
    {
        lock (_subscriptionLock)
        {
            return new Dictionary<uint, TickMode>(_subscriptions);
        }
    }

    /// <summary>
    /// Adds <paramref name="tokens"/> in <paramref name="mode"/> (tokens already owned change mode) and sends them
    /// now when connected; otherwise they are sent at the next connect.
    /// </summary>
    /// <returns>False, changing nothing, when the connection would own more than 3,000 instruments.</returns>
    public async ValueTask<bool> SubscribeAsync(IEnumerable<uint> tokens, TickMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ThrowIfUndefined(mode);
        uint[] list = [.. tokens.Distinct()];
        ClientWebSocket? session;
        lock (_subscriptionLock)
        {
            var added = 0;
            foreach (var token in list)
            {
                added += _subscriptions.ContainsKey(token) ? 0 : 1;
            }

            if (_subscriptions.Count + added > KiteOptions.MaxInstrumentsPerConnection)
            {
                return false;
            }

            foreach (var token in list)
            {
                _subscriptions[token] = mode;
            }

            _state?.SetInstruments(_subscriptions.Count);
            session = _session;
        }

        if (session is not null)
        {
            await TrySendAsync(session, KiteAction.Subscribe, mode, list, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Removes <paramref name="tokens"/> and tells Kite when connected.</summary>
    public async ValueTask UnsubscribeAsync(IEnumerable<uint> tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        uint[] list = [.. tokens.Distinct()];
        ClientWebSocket? session;
        lock (_subscriptionLock)
        {
            foreach (var token in list)
            {
                _subscriptions.Remove(token);
            }

            _state?.SetInstruments(_subscriptions.Count);
            session = _session;
        }

        if (session is not null)
        {
            await TrySendAsync(session, KiteAction.Unsubscribe, 0, list, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sets the mode of owned <paramref name="tokens"/> (others are ignored) and tells Kite when connected.</summary>
    public async ValueTask SetModeAsync(IEnumerable<uint> tokens, TickMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ThrowIfUndefined(mode);
        var list = new List<uint>();
        ClientWebSocket? session;
        lock (_subscriptionLock)
        {
            foreach (var token in tokens.Distinct())
            {
                if (_subscriptions.ContainsKey(token))
                {
                    _subscriptions[token] = mode;
                    list.Add(token);
                }
            }

            session = _session;
        }

        if (session is not null && list.Count > 0)
        {
            await TrySendAsync(session, KiteAction.Mode, mode, list.ToArray(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Connects and keeps the connection alive until <paramref name="cancellationToken"/> is cancelled, Kite refuses
    /// the credentials (unless <see cref="KiteReconnectOptions.RetryRejectedAfter"/> is set) or
    /// <see cref="KiteReconnectOptions.MaxAttempts"/> attempts in a row fail. Never throws for a network problem.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called twice.</exception>
    public async Task<KiteConnectionOutcome> RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException($"Kite connection {Name} is already running.");
        }

        var reconnect = _options.Reconnect ?? new KiteReconnectOptions();
        _receiveBuffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        var failures = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (Interlocked.Increment(ref _connectAttempts) > 1)
                {
                    _state?.OnReconnect();
                    _observer?.OnReconnect();
                }

                SetStatus(KiteConnectionStatus.Connecting);
                using var socket = CreateSocket();
                var connected = await ConnectAsync(socket, cancellationToken).ConfigureAwait(false);
                if (connected == ConnectResult.Rejected)
                {
                    Interlocked.Increment(ref _rejections);
                    SetStatus(KiteConnectionStatus.CredentialsRejected);
                    if (reconnect.RetryRejectedAfter <= TimeSpan.Zero)
                    {
                        LogRejectedStopping(_logger, Name);
                        return KiteConnectionOutcome.CredentialsRejected;
                    }

                    LogRejectedRetrying(_logger, Name, reconnect.RetryRejectedAfter);
                    await Task.Delay(reconnect.RetryRejectedAfter, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (connected == ConnectResult.Connected && await RunSessionAsync(socket, cancellationToken).ConfigureAwait(false))
                {
                    // A session that proved alive resets the backoff: the next drop retries quickly again.
                    failures = 0;
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                failures++;
                if (reconnect.MaxAttempts > 0 && failures >= reconnect.MaxAttempts)
                {
                    LogGaveUp(_logger, Name, failures);
                    return KiteConnectionOutcome.GaveUp;
                }

                SetStatus(KiteConnectionStatus.Waiting);
                await Task.Delay(_backoff.Delay(failures, Random.Shared.NextDouble()), _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is the normal end.
        }
        finally
        {
            _state?.SetConnected(false);
            SetStatus(Status == KiteConnectionStatus.CredentialsRejected ? KiteConnectionStatus.CredentialsRejected : KiteConnectionStatus.Stopped);
            ArrayPool<byte>.Shared.Return(_receiveBuffer);
            _receiveBuffer = [];
        }

        return KiteConnectionOutcome.Cancelled;
    }

    private static void ThrowIfUndefined(TickMode mode)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "The mode must be Ltp, Quote or Full.");
        }
    }

    private static ClientWebSocket CreateSocket()
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-Kite-Version", "3");
        socket.Options.CollectHttpResponseDetails = true;
        return socket;
    }

    private static bool IsRefusal(HttpStatusCode status) => status is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized;

    private async Task<ConnectResult> ConnectAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        string token;
        try
        {
            token = _credentials.ResolveAccessToken();
        }
        catch (InvalidOperationException ex)
        {
            LogFailure(ex.Message, null);
            return ConnectResult.Failed;
        }

        var uri = KiteUrl.Build(_options.Url, _credentials.ApiKey, token);
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await socket.ConnectAsync(uri, connect.Token).ConfigureAwait(false);
            return ConnectResult.Connected;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            if (IsRefusal(socket.HttpStatusCode))
            {
                return ConnectResult.Rejected;
            }

            var reason = ex is OperationCanceledException ? $"no answer within {_options.ConnectTimeout}" : ex.Message;
            var status = socket.HttpStatusCode == 0 ? "" : $" (HTTP {(int)socket.HttpStatusCode})";
            LogFailure($"connect to {KiteUrl.Redact(uri.ToString())} failed{status}: {reason}", token);
            return ConnectResult.Failed;
        }
    }

    /// <summary>Runs one open session until it ends; returns whether it proved alive (frames for at least StaleAfter).</summary>
    private async Task<bool> RunSessionAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _sessions);
        var openedAt = _time.GetTimestamp();
        Volatile.Write(ref _lastFrameTimestamp, openedAt);
        Volatile.Write(ref _staleFired, 0);
        var framesBefore = Ingest.Frames + TotalTextMessages();
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watchdog = WatchAsync(socket, watch.Token);
        string reason;
        KeyValuePair<uint, TickMode>[] owned;
        lock (_subscriptionLock)
        {
            _session = socket;
            owned = [.. _subscriptions];
        }

        try
        {
            _state?.SetConnected(true);
            _observer?.OnConnectionChanged(true);
            SetStatus(KiteConnectionStatus.Connected);
            LogConnected(_logger, Name, owned.Length);
            await ResubscribeAsync(socket, owned, cancellationToken).ConfigureAwait(false);
            reason = await ReceiveAsync(socket, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            reason = "stopping";
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            reason = KiteUrl.Redact(ex.Message) ?? ex.GetType().Name;
        }
        finally
        {
            lock (_subscriptionLock)
            {
                _session = null;
            }

            _state?.SetConnected(false);
            _observer?.OnConnectionChanged(false);
            await watch.CancelAsync().ConfigureAwait(false);
            await watchdog.ConfigureAwait(false);
        }

        var lived = _time.GetElapsedTime(openedAt);
        var frames = Ingest.Frames + TotalTextMessages() - framesBefore;
        if (Volatile.Read(ref _staleFired) != 0)
        {
            Interlocked.Increment(ref _staleCloses);
            _observer?.OnStale();
            if (_failureLog.TryEnter(out var suppressed))
            {
                LogStale(_logger, Name, _options.StaleAfter, suppressed);
            }
        }
        else if (cancellationToken.IsCancellationRequested)
        {
            await CloseQuietlyAsync(socket).ConfigureAwait(false);
        }
        else if (_failureLog.TryEnter(out var suppressed))
        {
            LogSessionEnded(_logger, Name, reason, lived, frames, suppressed);
        }

        return frames > 0 && lived >= _options.StaleAfter;
    }

    private async Task ResubscribeAsync(ClientWebSocket socket, KeyValuePair<uint, TickMode>[] owned, CancellationToken cancellationToken)
    {
        // The server keeps nothing across connections: subscribe everything again, then one mode message per mode.
        // A connection never owns more than 3,000 instruments, so this never exceeds Kite's limit.
        var tokens = new uint[owned.Length];
        for (var i = 0; i < owned.Length; i++)
        {
            tokens[i] = owned[i].Key;
        }

        await SendAsync(socket, KiteAction.Subscribe, 0, tokens, cancellationToken).ConfigureAwait(false);
        foreach (var mode in AllModes)
        {
            var count = 0;
            foreach (var (token, m) in owned)
            {
                if (m == mode)
                {
                    tokens[count++] = token;
                }
            }

            if (count > 0)
            {
                await SendAsync(socket, KiteAction.Mode, mode, tokens.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<string> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        while (true)
        {
            var count = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (count == _receiveBuffer.Length && !GrowReceiveBuffer(count))
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, null, cancellationToken).ConfigureAwait(false);
                    return $"a message exceeded {MaxMessageSize} bytes";
                }

                result = await socket.ReceiveAsync(_receiveBuffer.AsMemory(count), cancellationToken).ConfigureAwait(false);
                count += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return $"closed by the server ({socket.CloseStatus} {socket.CloseStatusDescription})";
            }

            var nowUs = UnixMicros();
            Volatile.Write(ref _lastFrameTimestamp, _time.GetTimestamp());
            if (result.MessageType == WebSocketMessageType.Binary)
            {
                var frame = _receiveBuffer.AsMemory(0, count);
                _recording?.WriteFrame(frame.Span, nowUs);

                // Back-pressure from the stream must not look like data silence to the watchdog.
                Volatile.Write(ref _ingesting, 1);
                var ticks = await Ingest.WriteFrameAsync(frame, nowUs, cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _lastFrameTimestamp, _time.GetTimestamp());
                Volatile.Write(ref _ingesting, 0);
                _state?.OnFrame(nowUs, ticks);
                _observer?.OnFrame(count == KitePacketLengths.Heartbeat ? KiteFrameType.Heartbeat : KiteFrameType.Ticks, ticks);
            }
            else
            {
                OnText(_receiveBuffer.AsSpan(0, count));
                _state?.OnFrame(nowUs, 0);
                _observer?.OnFrame(KiteFrameType.Text, 0);
            }
        }
    }

    private bool GrowReceiveBuffer(int used)
    {
        if (_receiveBuffer.Length >= MaxMessageSize)
        {
            return false;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(MaxMessageSize, _receiveBuffer.Length * 2));
        _receiveBuffer.AsSpan(0, used).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_receiveBuffer);
        _receiveBuffer = larger;
        return true;
    }

    private void OnText(ReadOnlySpan<byte> json)
    {
        var type = KiteMessages.ClassifyServerText(json, out var data);
        Interlocked.Increment(ref _textMessages[(int)type]);
        if (type is KiteTextMessageType.Error or KiteTextMessageType.Message or KiteTextMessageType.Malformed
            && _textLog.TryEnter(out var suppressed))
        {
            LogText(_logger, Name, type, data ?? "", suppressed);
        }
    }

    private async Task WatchAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        // Checks four times per StaleAfter: a silent connection is closed at most 1.25 × StaleAfter after its last frame.
        var period = TimeSpan.FromTicks(Math.Max(_options.StaleAfter.Ticks / 4, TimeSpan.TicksPerMillisecond * 10));
        try
        {
            while (true)
            {
                await Task.Delay(period, _time, cancellationToken).ConfigureAwait(false);
                if (Volatile.Read(ref _ingesting) == 0
                    && _time.GetElapsedTime(Volatile.Read(ref _lastFrameTimestamp)) >= _options.StaleAfter)
                {
                    Volatile.Write(ref _staleFired, 1);
                    socket.Abort();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The session ended first.
        }
    }

    private async Task TrySendAsync(ClientWebSocket session, KiteAction action, TickMode mode, ReadOnlyMemory<uint> tokens, CancellationToken cancellationToken)
    {
        try
        {
            if (action != KiteAction.Mode)
            {
                await SendAsync(session, action, 0, tokens, cancellationToken).ConfigureAwait(false);
            }

            if (action != KiteAction.Unsubscribe)
            {
                await SendAsync(session, KiteAction.Mode, mode, tokens, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The session is ending; the next connect subscribes everything owned again.
        }
    }

    /// <summary>Sends one action over <paramref name="tokens"/> in chunks of at most <see cref="KiteMessages.MaxTokensPerMessage"/>.</summary>
    private async Task SendAsync(ClientWebSocket socket, KiteAction action, TickMode mode, ReadOnlyMemory<uint> tokens, CancellationToken cancellationToken)
    {
        if (action == KiteAction.Mode && mode == 0)
        {
            return;
        }

        for (var offset = 0; offset < tokens.Length; offset += KiteMessages.MaxTokensPerMessage)
        {
            var chunk = tokens.Slice(offset, Math.Min(KiteMessages.MaxTokensPerMessage, tokens.Length - offset));
            await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                _sendBuffer.ResetWrittenCount();
                switch (action)
                {
                    case KiteAction.Subscribe:
                        KiteMessages.WriteSubscribe(_sendBuffer, chunk.Span);
                        break;
                    case KiteAction.Unsubscribe:
                        KiteMessages.WriteUnsubscribe(_sendBuffer, chunk.Span);
                        break;
                    default:
                        KiteMessages.WriteMode(_sendBuffer, mode, chunk.Span);
                        break;
                }

                await socket.SendAsync(_sendBuffer.WrittenMemory, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _messagesSent);
            }
            finally
            {
                _sendGate.Release();
            }
        }
    }

    private async Task CloseQuietlyAsync(ClientWebSocket socket)
    {
        if (socket.State != WebSocketState.Open)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1), _time);
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "client stopping", timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // Closing is a courtesy.
        }
    }

    private long TotalTextMessages()
    {
        long total = 0;
        for (var i = 0; i < _textMessages.Length; i++)
        {
            total += Volatile.Read(ref _textMessages[i]);
        }

        return total;
    }

    private void LogFailure(string message, string? token)
    {
        if (_failureLog.TryEnter(out var suppressed))
        {
            LogConnectFailed(_logger, Name, KiteUrl.Redact(message, token) ?? "", suppressed);
        }
    }

    private void SetStatus(KiteConnectionStatus status) => Volatile.Write(ref _status, (int)status);

    private long UnixMicros() => _time.MicrosecondsNow();

    [LoggerMessage(Level = LogLevel.Information, Message = "Kite {Connection}: connected, subscribing {Instruments} instruments")]
    private static partial void LogConnected(ILogger logger, string connection, int instruments);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kite {Connection}: {Reason} ({Suppressed} similar messages suppressed)")]
    private static partial void LogConnectFailed(ILogger logger, string connection, string reason, int suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kite {Connection}: session ended after {Lived} with {Frames} messages: {Reason}; reconnecting ({Suppressed} similar messages suppressed)")]
    private static partial void LogSessionEnded(ILogger logger, string connection, string reason, TimeSpan lived, long frames, int suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kite {Connection}: no data for {StaleAfter}: the connection is stale; closing and reconnecting ({Suppressed} similar messages suppressed)")]
    private static partial void LogStale(ILogger logger, string connection, TimeSpan staleAfter, int suppressed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Kite {Connection}: Kite refused the API key or access token (HTTP 403); this account stops. Renew the access token (they expire daily) and restart, or set Kite:Reconnect:RetryRejectedAfter to retry slowly")]
    private static partial void LogRejectedStopping(ILogger logger, string connection);

    [LoggerMessage(Level = LogLevel.Error, Message = "Kite {Connection}: Kite refused the API key or access token (HTTP 403); trying again in {RetryAfter} with the token read again from its source")]
    private static partial void LogRejectedRetrying(ILogger logger, string connection, TimeSpan retryAfter);

    [LoggerMessage(Level = LogLevel.Error, Message = "Kite {Connection}: giving up after {Attempts} failed attempts in a row (Kite:Reconnect:MaxAttempts)")]
    private static partial void LogGaveUp(ILogger logger, string connection, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kite {Connection}: {Type} text message: {Data} ({Suppressed} similar messages suppressed)")]
    private static partial void LogText(ILogger logger, string connection, KiteTextMessageType type, string data, int suppressed);

    private enum ConnectResult
    {
        Connected,
        Failed,
        Rejected,
    }
}
