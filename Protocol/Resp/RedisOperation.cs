using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Threading.Tasks.Sources;

namespace Ticker.Protocol.Resp;

/// <summary>
/// One submitted batch on its way through a connection: its bytes until the writer loop has copied them, its reply
/// handler and error tally until the reader loop has matched every reply, and the awaitable the caller holds.
/// Pooled: a batch allocates nothing once the pool is warm.
/// </summary>
/// <remarks>
/// Two owners hold a reference: the caller (released by <see cref="GetResult"/>) and the pipeline (released when
/// all replies are read or the connection fails). Completion happens exactly once, by whichever comes first of the
/// last reply, the timeout, cancellation or connection loss; a handler call and a timeout never overlap (both take
/// the operation's lock).
/// </remarks>
internal sealed class RedisOperation : IValueTaskSource
{
    private const int MaxPooled = 256;
    private const int Pending = 0;
    private const int Completed = 1;

    private static readonly ConcurrentQueue<RedisOperation> Pool = new();

    private readonly Lock _gate = new();
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private int _state;
    private int _references;
    private CancellationTokenRegistration _cancellation;
    private byte[]? _payload;
    private IRespReplyHandler? _handler;
    private int _errorCount;
    private string? _firstError;
    private Exception? _handlerException;

    private RedisOperation()
    {
    }

    /// <summary>The number of replies to expect.</summary>
    public int CommandCount { get; private set; }

    /// <summary>The number of replies read so far.</summary>
    public int RepliesReceived { get; private set; }

    /// <summary>The <see cref="TimeProvider"/> timestamp after which the operation times out.</summary>
    public long Deadline { get; private set; }

    /// <summary>The timeout, for the message.</summary>
    public TimeSpan Timeout { get; private set; }

    /// <summary>The encoded commands.</summary>
    public ReadOnlySpan<byte> Payload => _payload.AsSpan(0, PayloadLength);

    /// <summary>The number of encoded bytes.</summary>
    public int PayloadLength { get; private set; }

    /// <summary>Whether the caller has been answered (the remaining replies are only drained).</summary>
    public bool IsCompleted => Volatile.Read(ref _state) == Completed;

    /// <summary>The version of the awaitable, for <see cref="ValueTask"/>.</summary>
    public short Version => _core.Version;

    /// <summary>Takes an operation from the pool (or makes one) and fills it.</summary>
    public static RedisOperation Rent(byte[] payload, int payloadLength, int commandCount, IRespReplyHandler? handler, long deadline, TimeSpan timeout)
    {
        if (!Pool.TryDequeue(out var operation))
        {
            operation = new RedisOperation();
        }

        operation._payload = payload;
        operation.PayloadLength = payloadLength;
        operation.CommandCount = commandCount;
        operation._handler = handler;
        operation.Deadline = deadline;
        operation.Timeout = timeout;
        operation.RepliesReceived = 0;
        operation._errorCount = 0;
        operation._firstError = null;
        operation._handlerException = null;
        operation._state = Pending;
        operation._references = 2;
        return operation;
    }

    /// <summary>
    /// Completes the operation with <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/>
    /// fires. Call before the operation is submitted, so no completion can come before the registration.
    /// </summary>
    public void RegisterCancellation(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _cancellation = cancellationToken.UnsafeRegister(
                static (state, token) => ((RedisOperation)state!).TryComplete(new OperationCanceledException(token)),
                this);
        }
    }

    /// <summary>Returns the payload to the pool once the writer loop has copied it (or will never write it).</summary>
    public void ReleasePayload()
    {
        var payload = _payload;
        _payload = null;
        if (payload is { Length: > 0 })
        {
            ArrayPool<byte>.Shared.Return(payload);
        }
    }

    /// <summary>Takes the next reply; returns whether it was the last one.</summary>
    /// <remarks>Called by the reader loop only. Allocates nothing unless the reply is an error.</remarks>
    public bool OnReply(ReadOnlySpan<byte> frame)
    {
        var index = RepliesReceived++;
        var handler = _handler;
        if (handler is not null)
        {
            lock (_gate)
            {
                if (_state == Pending)
                {
                    try
                    {
                        handler.OnReply(index, new RespReader(frame));
                    }
                    catch (Exception ex)
                    {
                        _handlerException ??= ex;
                    }
                }
            }
        }
        else if (frame[0] == (byte)'-' && _errorCount++ == 0)
        {
            _firstError = Encoding.UTF8.GetString(frame[1..^2]);
        }

        return RepliesReceived == CommandCount;
    }

    /// <summary>Answers the caller with the outcome of the replies read.</summary>
    public void CompleteFromReplies()
    {
        Exception? error = _handlerException;
        if (error is null && _errorCount > 0)
        {
            error = new RedisServerException(_firstError!, _errorCount);
        }

        TryComplete(error);
    }

    /// <summary>Answers the caller, unless it has been answered already.</summary>
    /// <param name="error">The failure, or <see langword="null"/> for success.</param>
    /// <returns>Whether this call answered the caller.</returns>
    public bool TryComplete(Exception? error)
    {
        lock (_gate)
        {
            if (_state != Pending)
            {
                return false;
            }

            _state = Completed;
        }

        // Unregister (not Dispose) so that a completion from inside the cancellation callback cannot deadlock;
        // Release disposes the registration before the operation is pooled again.
        _cancellation.Unregister();
        _handler = null;
        if (error is null)
        {
            _core.SetResult(true);
        }
        else
        {
            _core.SetException(error);
        }

        return true;
    }

    /// <summary>Drops the pipeline's reference (all replies read, or the connection failed).</summary>
    public void ReleaseFromPipeline() => Release();

    /// <inheritdoc />
    public void GetResult(short token)
    {
        try
        {
            _core.GetResult(token);
        }
        finally
        {
            Release();
        }
    }

    /// <inheritdoc />
    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    /// <inheritdoc />
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private void Release()
    {
        if (Interlocked.Decrement(ref _references) != 0)
        {
            return;
        }

        // Waits for a cancellation callback that is still running, so it can never touch the next use.
        _cancellation.Dispose();
        _cancellation = default;
        _core.Reset();
        _handler = null;
        _firstError = null;
        _handlerException = null;
        if (Pool.Count < MaxPooled)
        {
            Pool.Enqueue(this);
        }
    }
}
