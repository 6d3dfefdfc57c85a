using System.Buffers;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Ticker.Protocol.Resp;

/// <summary>
/// One subscriber socket: a writer loop for (P)(UN)SUBSCRIBE commands and a reader loop that turns pushed messages
/// into <see cref="RedisPubSubMessage"/>s and matches confirmations to the commands, in order. Never reconnects;
/// <see cref="RedisSubscriber"/> does.
/// </summary>
internal sealed class RedisPubSubSession : IRedisSession
{
    private readonly RedisTransportStreams _transport;
    private readonly string _endPoint;
    private readonly ChannelWriter<RedisPubSubMessage> _messages;
    private readonly Lock _sync = new();
    private readonly Queue<TaskCompletionSource?> _confirmations = new();
    private readonly Channel<byte[]> _sendQueue = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _shutdown = new();
    private RespFrameScanner _scanner;
    private RedisPubSubMessage? _held;
    private bool _closed;
    private Exception? _closeReason;

    private RedisPubSubSession(RedisTransportStreams transport, string endPoint, ChannelWriter<RedisPubSubMessage> messages)
    {
        _transport = transport;
        _endPoint = endPoint;
        _messages = messages;
        Completion = RunAsync();
    }

    /// <inheritdoc />
    public Task<Exception> Completion { get; }

    /// <summary>Connects and starts the loops.</summary>
    public static async Task<RedisPubSubSession> ConnectAsync(RedisConnectionOptions options, TimeProvider timeProvider, ChannelWriter<RedisPubSubMessage> messages, CancellationToken cancellationToken)
    {
        var transport = await RedisTransport.OpenAsync(options, timeProvider, cancellationToken).ConfigureAwait(false);
        return new RedisPubSubSession(transport, options.EndPoint, messages);
    }

    /// <summary>Encodes one command of a keyword and a name.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> command, string name)
    {
        var output = new ArrayBufferWriter<byte>(32 + (name.Length * 3));
        var writer = new RespWriter(output);
        writer.BeginCommand(2);
        writer.Arg(command);
        writer.Arg(name);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Queues a command whose one confirmation completes <paramref name="confirmation"/> (null: nobody waits).</summary>
    /// <returns>False once the session is closing.</returns>
    public bool TrySend(byte[] command, TaskCompletionSource? confirmation)
    {
        lock (_sync)
        {
            if (_closed)
            {
                return false;
            }

            _confirmations.Enqueue(confirmation);
            _sendQueue.Writer.TryWrite(command);
            return true;
        }
    }

    /// <inheritdoc />
    public void Abort(Exception reason)
    {
        lock (_sync)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            _closeReason = reason;
        }

        _sendQueue.Writer.TryComplete();
        _shutdown.Cancel();
        try
        {
            _transport.Socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _transport.Socket.Close();
    }

    private async Task<Exception> RunAsync()
    {
        await Task.Yield();
        await Task.WhenAll(WriteLoopAsync(), ReadLoopAsync()).ConfigureAwait(false);
        Exception reason;
        TaskCompletionSource?[] waiting;
        lock (_sync)
        {
            // However the loops ended, nothing may wait on this session any more.
            _closed = true;
            reason = _closeReason ?? new RedisConnectionException($"The subscriber connection to {_endPoint} closed.");
            waiting = [.. _confirmations];
            _confirmations.Clear();
        }

        try
        {
            await _transport.Input.CompleteAsync().ConfigureAwait(false);
            await _transport.Output.CompleteAsync().ConfigureAwait(false);
            await _transport.Stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            // Closing a broken transport may fail; the waiting confirmations must fail all the same.
        }

        foreach (var confirmation in waiting)
        {
            confirmation?.TrySetException(new RedisConnectionException(
                $"The subscriber connection to {_endPoint} was lost before the server confirmed: {reason.Message}", reason));
        }

        return reason;
    }

    private async Task WriteLoopAsync()
    {
        var queue = _sendQueue.Reader;
        var output = _transport.Output;
        try
        {
            while (await queue.WaitToReadAsync(_shutdown.Token).ConfigureAwait(false))
            {
                while (queue.TryRead(out var command))
                {
                    output.Write(command);
                }

                if ((await output.FlushAsync(_shutdown.Token).ConfigureAwait(false)).IsCompleted)
                {
                    Abort(new RedisConnectionException($"The subscriber connection to {_endPoint} closed."));
                    return;
                }
            }
        }
        catch (Exception ex)
        {
            Abort(Describe(ex));
        }
    }

    private async Task ReadLoopAsync()
    {
        var input = _transport.Input;
        var token = _shutdown.Token;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(token).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (true)
                {
                    var consumed = Dispatch(buffer);
                    if (_held is not { } held)
                    {
                        input.AdvanceTo(consumed, buffer.End);
                        break;
                    }

                    // The message channel is full: wait for the consumer (back-pressure reaches the server), then go on.
                    _held = null;
                    await _messages.WriteAsync(held, token).ConfigureAwait(false);
                    buffer = buffer.Slice(consumed);
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    Abort(new RedisConnectionException($"{_endPoint} closed the subscriber connection."));
                    return;
                }
            }
        }
        catch (Exception ex)
        {
            Abort(Describe(ex));
        }
    }

    // Handles complete frames until the buffer runs out or a message cannot be queued (then it is held in _held).
    private SequencePosition Dispatch(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (true)
        {
            var start = reader.Position;
            if (!_scanner.TryScan(ref reader, out var length))
            {
                return start;
            }

            var frame = buffer.Slice(start, length);
            var message = frame.IsSingleSegment ? Handle(frame.FirstSpan) : Handle(frame.ToArray());
            if (message is { } pushed && !_messages.TryWrite(pushed))
            {
                _held = pushed;
                return reader.Position;
            }
        }
    }

    private RedisPubSubMessage? Handle(ReadOnlySpan<byte> frame)
    {
        var reader = new RespReader(frame);
        reader.Read();
        if (reader.IsError)
        {
            Confirm(new RedisServerException(reader.GetString()));
            return null;
        }

        if (reader.Type != RespType.Array || reader.Length < 1)
        {
            ThrowHelper.ThrowProtocol("A subscriber connection received a reply that is not a push array.");
        }

        var kind = reader.ReadBulkString();
        if (kind.SequenceEqual(RespLiterals.message))
        {
            var channel = Encoding.UTF8.GetString(reader.ReadBulkString());
            return new RedisPubSubMessage(channel, reader.ReadBulkString().ToArray(), null);
        }

        if (kind.SequenceEqual(RespLiterals.pmessage))
        {
            var pattern = Encoding.UTF8.GetString(reader.ReadBulkString());
            var channel = Encoding.UTF8.GetString(reader.ReadBulkString());
            return new RedisPubSubMessage(channel, reader.ReadBulkString().ToArray(), pattern);
        }

        if (kind.SequenceEqual(RespLiterals.subscribe) || kind.SequenceEqual(RespLiterals.psubscribe)
            || kind.SequenceEqual(RespLiterals.unsubscribe) || kind.SequenceEqual(RespLiterals.punsubscribe))
        {
            Confirm(null);
            return null;
        }

        // Anything else (a PONG in subscribed mode) needs no action.
        return null;
    }

    private void Confirm(Exception? error)
    {
        TaskCompletionSource? confirmation;
        lock (_sync)
        {
            if (!_confirmations.TryDequeue(out confirmation))
            {
                return;
            }
        }

        if (error is null)
        {
            confirmation?.TrySetResult();
        }
        else
        {
            confirmation?.TrySetException(error);
        }
    }

    private RedisConnectionException Describe(Exception ex) => ex switch
    {
        OperationCanceledException => new RedisConnectionException($"The subscriber connection to {_endPoint} was closed."),
        _ => new RedisConnectionException($"The subscriber connection to {_endPoint} failed: {ex.Message}", ex),
    };
}
