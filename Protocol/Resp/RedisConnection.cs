using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ticker.Protocol.Resp;

/// <summary>
/// One multiplexed, pipelined connection to a Redis endpoint. Any number of callers submit batches concurrently;
/// the connection writes them in submission order (sharing flushes), reads the replies in one loop and hands them
/// back first in first out. If the socket fails, every command in flight fails with a
/// <see cref="RedisConnectionException"/>, new commands fail fast with the same until the connection is back, and
/// the connection reconnects by itself with capped exponential backoff and jitter. Callers retry; they never see a
/// socket.
/// </summary>
/// <remarks>
/// Blocking commands (<c>XREADGROUP ... BLOCK</c>, <c>BLPOP</c>) hold up every reply behind them: give them a
/// connection of their own, and a timeout longer than the block.
/// </remarks>
public sealed class RedisConnection : IAsyncDisposable
{
    private const string Kind = "commands";

    private static readonly TimeSpan MinTimerPeriod = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxTimerPeriod = TimeSpan.FromSeconds(1);

    private readonly RedisConnectionOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly RedisReconnector<RedisPhysicalConnection> _reconnector;
    private readonly ITimer _timeoutTimer;
    private int _disposed;

    private RedisConnection(RedisConnectionOptions options, ILogger logger, TimeProvider timeProvider)
    {
        _options = options;
        _timeProvider = timeProvider;
        _reconnector = new RedisReconnector<RedisPhysicalConnection>(
            Kind,
            options,
            logger,
            timeProvider,
            token => RedisPhysicalConnection.ConnectAsync(options, timeProvider, token),
            static _ => { },
            args => ConnectionStateChanged?.Invoke(this, args));

        // One timer checks every deadline; a quarter of the timeout keeps the overshoot small.
        var period = TimeSpan.FromTicks(Math.Clamp(options.CommandTimeout.Ticks / 4, MinTimerPeriod.Ticks, MaxTimerPeriod.Ticks));
        _timeoutTimer = timeProvider.CreateTimer(static state => ((RedisConnection)state!).CheckTimeouts(), this, period, period);
    }

    /// <summary>Raised (on a background thread) when the connection goes down or comes back.</summary>
    public event EventHandler<RedisConnectionStateChangedEventArgs>? ConnectionStateChanged;

    /// <summary>The endpoint, as <c>host:port</c>.</summary>
    public string EndPoint => _options.EndPoint;

    /// <summary>Whether the connection is up.</summary>
    public bool IsConnected => _reconnector.Current is not null;

    /// <summary>How many times the connection has been re-established since it was created (for metrics).</summary>
    public long ReconnectCount => _reconnector.ReconnectCount;

    /// <summary>The options (a copy; changing it has no effect). <see cref="object.ToString"/> redacts the password.</summary>
    public RedisConnectionOptions Options => _options.Clone();

    /// <summary>Connects to the server and authenticates; the first attempt must succeed, later losses reconnect by themselves.</summary>
    /// <param name="options">Where and how to connect (copied).</param>
    /// <param name="logger">Where connection events go; none when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for timeouts and backoff; the system clock when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Abandons the attempt.</param>
    /// <returns>The connected connection.</returns>
    /// <exception cref="RedisAuthenticationException">The server refused the credentials.</exception>
    /// <exception cref="RedisConnectionException">The server could not be reached within the connect timeout.</exception>
    public static async Task<RedisConnection> ConnectAsync(
        RedisConnectionOptions options,
        ILogger? logger = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options = options.Clone();
        options.Validate();
        timeProvider ??= TimeProvider.System;
        var first = await RedisPhysicalConnection.ConnectAsync(options, timeProvider, cancellationToken).ConfigureAwait(false);
        var connection = new RedisConnection(options, logger ?? NullLogger.Instance, timeProvider);
        connection._reconnector.Start(first);
        return connection;
    }

    /// <summary>Parses <paramref name="connectionString"/> and connects (see <see cref="ConnectAsync(RedisConnectionOptions, ILogger?, TimeProvider?, CancellationToken)"/>).</summary>
    /// <param name="connectionString">For example <c>127.0.0.1:6379,password=…,db=1</c>.</param>
    /// <param name="logger">Where connection events go.</param>
    /// <param name="cancellationToken">Abandons the attempt.</param>
    /// <returns>The connected connection.</returns>
    public static Task<RedisConnection> ConnectAsync(string connectionString, ILogger? logger = null, CancellationToken cancellationToken = default) =>
        ConnectAsync(RedisConnectionOptions.Parse(connectionString), logger, null, cancellationToken);

    /// <summary>Completes when the connection is up (at once if it is).</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when connected.</returns>
    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken = default) =>
        _reconnector.WaitUntilConnectedAsync(cancellationToken);

    /// <summary>
    /// Sends every command of <paramref name="batch"/> in one write and waits for all of their replies, within the
    /// command timeout. The batch is left empty (its buffer now belongs to the connection) and may be refilled at
    /// once; to retry after a failure, write the commands again.
    /// </summary>
    /// <param name="batch">The commands.</param>
    /// <param name="handler">
    /// Receives each reply in order, errors included (see <see cref="IRespReplyHandler"/>). Without one, the replies
    /// are only checked for errors.
    /// </param>
    /// <param name="cancellationToken">Stops waiting (the commands may still run).</param>
    /// <returns>A task that completes when every reply has arrived.</returns>
    /// <exception cref="RedisServerException">Without a handler: at least one reply was an error (the first is the message, <see cref="RedisServerException.ErrorCount"/> counts them).</exception>
    /// <exception cref="RedisConnectionException">The connection is down or was lost before all replies arrived.</exception>
    /// <exception cref="RedisTimeoutException">Not all replies arrived within the command timeout.</exception>
    /// <remarks>Allocates nothing once warm (the batch's buffer is pooled, the awaitable is a pooled operation).</remarks>
    public ValueTask ExecuteAsync(RedisBatch batch, IRespReplyHandler? handler = null, CancellationToken cancellationToken = default) =>
        ExecuteAsync(batch, handler, _options.CommandTimeout, cancellationToken);

    /// <summary>
    /// As <see cref="ExecuteAsync(RedisBatch, IRespReplyHandler?, CancellationToken)"/>, with a timeout of its own
    /// (<see cref="Timeout.InfiniteTimeSpan"/> for none), for blocking commands.
    /// </summary>
    /// <param name="batch">The commands.</param>
    /// <param name="handler">Receives each reply in order; without one, replies are only checked for errors.</param>
    /// <param name="timeout">How long to wait for all replies.</param>
    /// <param name="cancellationToken">Stops waiting (the commands may still run).</param>
    /// <returns>A task that completes when every reply has arrived.</returns>
    public ValueTask ExecuteAsync(RedisBatch batch, IRespReplyHandler? handler, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var payload = batch.Detach(out var length, out var commandCount);
        if (commandCount == 0)
        {
            ReturnPayload(payload);
            return default;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            ReturnPayload(payload);
            return ValueTask.FromCanceled(cancellationToken);
        }

        var deadline = timeout == Timeout.InfiniteTimeSpan
            ? long.MaxValue
            : _timeProvider.GetTimestamp() + (long)(timeout.TotalSeconds * _timeProvider.TimestampFrequency);
        var operation = RedisOperation.Rent(payload, length, commandCount, handler, deadline, timeout);
        operation.RegisterCancellation(cancellationToken);
        var physical = _reconnector.Current;
        if (physical is null || !physical.TrySubmit(operation))
        {
            operation.ReleasePayload();
            operation.TryComplete(NotConnected());
            operation.ReleaseFromPipeline();
        }

        return new ValueTask(operation, operation.Version);
    }

    /// <summary>Sends one command and returns its whole reply as a tree (allocates; not for the hot path).</summary>
    /// <param name="args">
    /// The command name and its arguments: <see cref="string"/> (UTF-8), <see cref="byte"/>[],
    /// <see cref="ReadOnlyMemory{T}"/> of bytes, integers, <see cref="double"/>/<see cref="float"/>, or anything
    /// <see cref="IFormattable"/> (formatted invariantly).
    /// </param>
    /// <returns>The reply.</returns>
    /// <exception cref="RedisServerException">The reply is an error.</exception>
    /// <exception cref="RedisConnectionException">The connection is down or was lost.</exception>
    /// <exception cref="RedisTimeoutException">No reply within the command timeout.</exception>
    public ValueTask<RedisResult> ExecuteAsync(params object[] args) => ExecuteAsync(args, CancellationToken.None);

    /// <summary>Sends one command and returns its whole reply as a tree (see <see cref="ExecuteAsync(object[])"/>).</summary>
    /// <param name="args">The command name and its arguments.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The reply.</returns>
    public async ValueTask<RedisResult> ExecuteAsync(object[] args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0)
        {
            throw new ArgumentException("A command needs at least its name.", nameof(args));
        }

        using var batch = new RedisBatch(256);
        batch.BeginCommand(args.Length);
        foreach (var arg in args)
        {
            AppendArg(batch, arg);
        }

        var collector = new ResultCollector();
        await ExecuteAsync(batch, collector, cancellationToken).ConfigureAwait(false);
        var result = collector.Result!;
        if (result.IsError)
        {
            throw new RedisServerException(result.AsString()!);
        }

        return result;
    }

    /// <summary>Stops reconnecting, closes the connection and fails whatever is in flight.</summary>
    /// <returns>A task that completes when the connection has closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _timeoutTimer.DisposeAsync().ConfigureAwait(false);
        await _reconnector.StopAsync().ConfigureAwait(false);
    }

    private static void AppendArg(RedisBatch batch, object arg)
    {
        switch (arg)
        {
            case null:
                throw new ArgumentNullException(nameof(arg), "A command argument is null.");
            case string text:
                batch.Arg(text);
                break;
            case byte[] bytes:
                batch.Arg(bytes);
                break;
            case ReadOnlyMemory<byte> memory:
                batch.Arg(memory.Span);
                break;
            case Memory<byte> memory:
                batch.Arg(memory.Span);
                break;
            case int or long or short or uint or ushort or byte or sbyte:
                batch.Arg(Convert.ToInt64(arg, CultureInfo.InvariantCulture));
                break;
            case double number:
                batch.Arg(number);
                break;
            case float number:
                batch.Arg(number);
                break;
            case IFormattable formattable:
                batch.Arg(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                batch.Arg(arg.ToString() ?? string.Empty);
                break;
        }
    }

    private static void ReturnPayload(byte[] payload)
    {
        if (payload.Length > 0)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(payload);
        }
    }

    private RedisConnectionException NotConnected() =>
        _disposed != 0
            ? new RedisConnectionException($"The connection to {_options.EndPoint} has been disposed.")
            : new RedisConnectionException($"Not connected to {_options.EndPoint} (reconnecting).");

    private void CheckTimeouts() => _reconnector.Current?.CheckTimeouts(_timeProvider.GetTimestamp());

    /// <summary>Builds the <see cref="RedisResult"/> of a single command.</summary>
    private sealed class ResultCollector : IRespReplyHandler
    {
        public RedisResult? Result { get; private set; }

        public void OnReply(int index, RespReader reply) => Result = RedisResult.Read(ref reply);
    }
}
