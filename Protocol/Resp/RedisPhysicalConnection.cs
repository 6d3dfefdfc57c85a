using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Ticker.Protocol.Resp;

/// <summary>
/// One socket to the server and its two loops: the writer copies submitted batches into the output pipe and
/// flushes when it runs out of work (so concurrent batches share a flush), the reader scans reply frames and hands
/// them, first in first out, to the operations awaiting them. It never reconnects; when anything fails it closes,
/// fails every operation in flight with a <see cref="RedisConnectionException"/> and completes
/// <see cref="Completion"/>. <see cref="RedisConnection"/> then makes a new one.
/// </summary>
internal sealed class RedisPhysicalConnection : IRedisSession
{
    // Flush inside a long run of queued batches once this much is buffered, so memory stays bounded.
    private const int MaxUnflushedBytes = 1024 * 1024;

    private readonly RedisTransportStreams _transport;
    private readonly string _endPoint;
    private readonly Lock _sync = new();
    private readonly Queue<RedisOperation> _awaiting = new();
    private readonly Channel<RedisOperation> _sendQueue = Channel.CreateUnbounded<RedisOperation>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    private readonly CancellationTokenSource _shutdown = new();
    private RespFrameScanner _scanner;
    private RedisOperation? _current;
    private bool _closed;
    private Exception? _closeReason;

    private RedisPhysicalConnection(RedisTransportStreams transport, string endPoint)
    {
        _transport = transport;
        _endPoint = endPoint;
        Completion = RunAsync();
    }

    /// <summary>Completes, with the reason, once the connection has closed and every operation in flight has failed.</summary>
    public Task<Exception> Completion { get; }

    /// <summary>Connects and starts the loops.</summary>
    public static async Task<RedisPhysicalConnection> ConnectAsync(RedisConnectionOptions options, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var transport = await RedisTransport.OpenAsync(options, timeProvider, cancellationToken).ConfigureAwait(false);
        return new RedisPhysicalConnection(transport, options.EndPoint);
    }

    /// <summary>Queues an operation for writing, and for its replies; false once the connection is closing.</summary>
    public bool TrySubmit(RedisOperation operation)
    {
        lock (_sync)
        {
            if (_closed)
            {
                return false;
            }

            // Both queues are filled under one lock, so the reply order is the write order.
            _awaiting.Enqueue(operation);
            _sendQueue.Writer.TryWrite(operation);
            return true;
        }
    }

    /// <summary>Times out every operation whose deadline has passed (they stay queued to drain their late replies).</summary>
    /// <param name="now">The current <see cref="TimeProvider"/> timestamp.</param>
    public void CheckTimeouts(long now)
    {
        lock (_sync)
        {
            foreach (var operation in _awaiting)
            {
                if (operation.Deadline <= now && !operation.IsCompleted)
                {
                    operation.TryComplete(new RedisTimeoutException(
                        $"Timed out after {operation.Timeout.TotalMilliseconds:0} ms waiting for the replies of {operation.CommandCount} command(s) from {_endPoint} ({operation.RepliesReceived} received)."));
                }
            }
        }
    }

    /// <summary>Closes the connection; the operations in flight fail with <paramref name="reason"/> as the inner exception.</summary>
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
        // Yield so the constructor returns before the loops start.
        await Task.Yield();
        var writer = WriteLoopAsync();
        var reader = ReadLoopAsync();
        await Task.WhenAll(writer, reader).ConfigureAwait(false);

        Exception reason;
        lock (_sync)
        {
            reason = _closeReason ?? new RedisConnectionException($"The connection to {_endPoint} closed.");
        }

        await _transport.Input.CompleteAsync().ConfigureAwait(false);
        await _transport.Output.CompleteAsync().ConfigureAwait(false);
        try
        {
            await _transport.Stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
        }

        FailAll(reason);
        return reason;
    }

    private async Task WriteLoopAsync()
    {
        var queue = _sendQueue.Reader;
        var output = _transport.Output;
        var token = _shutdown.Token;
        try
        {
            while (await queue.WaitToReadAsync(token).ConfigureAwait(false))
            {
                long unflushed = 0;
                while (queue.TryRead(out var operation))
                {
                    output.Write(operation.Payload);
                    unflushed += operation.PayloadLength;
                    operation.ReleasePayload();
                    if (unflushed >= MaxUnflushedBytes)
                    {
                        unflushed = 0;
                        if ((await output.FlushAsync(token).ConfigureAwait(false)).IsCompleted)
                        {
                            Abort(new RedisConnectionException($"The connection to {_endPoint} closed."));
                            return;
                        }
                    }
                }

                if ((await output.FlushAsync(token).ConfigureAwait(false)).IsCompleted)
                {
                    Abort(new RedisConnectionException($"The connection to {_endPoint} closed."));
                    return;
                }
            }
        }
        catch (Exception ex)
        {
            Abort(Describe(ex, "writing to"));
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
                var consumed = Dispatch(buffer);
                input.AdvanceTo(consumed, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    Abort(new RedisConnectionException($"{_endPoint} closed the connection."));
                    return;
                }
            }
        }
        catch (Exception ex)
        {
            Abort(Describe(ex, "reading from"));
        }
    }

    // Scans every complete frame in the buffer and delivers it; returns where the unconsumed tail starts.
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

            if (length > Array.MaxLength)
            {
                ThrowHelper.ThrowProtocol("A reply is larger than the largest array .NET can allocate.");
            }

            // Usually the frame ends inside the reader's current segment, so it is a span of it (no slicing).
            if (reader.CurrentSpanIndex >= length)
            {
                Deliver(reader.CurrentSpan.Slice(reader.CurrentSpanIndex - (int)length, (int)length));
                continue;
            }

            var frame = buffer.Slice(start, length);
            if (frame.IsSingleSegment)
            {
                Deliver(frame.FirstSpan);
            }
            else
            {
                var copy = ArrayPool<byte>.Shared.Rent((int)length);
                try
                {
                    frame.CopyTo(copy);
                    Deliver(copy.AsSpan(0, (int)length));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(copy);
                }
            }
        }
    }

    private void Deliver(ReadOnlySpan<byte> frame)
    {
        var operation = _current;
        if (operation is null)
        {
            lock (_sync)
            {
                if (!_awaiting.TryPeek(out operation))
                {
                    ThrowHelper.ThrowProtocol("The server sent a reply no command was waiting for.");
                }
            }

            _current = operation;
        }

        if (!operation.OnReply(frame))
        {
            return;
        }

        lock (_sync)
        {
            _awaiting.Dequeue();
        }

        _current = null;
        operation.CompleteFromReplies();
        operation.ReleaseFromPipeline();
    }

    private Exception Describe(Exception ex, string action) => ex switch
    {
        RedisException => new RedisConnectionException($"The connection to {_endPoint} failed: {ex.Message}", ex),
        OperationCanceledException => new RedisConnectionException($"The connection to {_endPoint} was closed."),
        _ => new RedisConnectionException($"Failed {action} {_endPoint}: {ex.Message}", ex),
    };

    private void FailAll(Exception reason)
    {
        // Operations never written still own their payload.
        while (_sendQueue.Reader.TryRead(out var unwritten))
        {
            unwritten.ReleasePayload();
        }

        RedisOperation[] failed;
        lock (_sync)
        {
            failed = [.. _awaiting];
            _awaiting.Clear();
        }

        _current = null;
        foreach (var operation in failed)
        {
            // One exception per caller: a shared instance would collect every awaiter's stack trace.
            operation.TryComplete(new RedisConnectionException(
                $"The connection to {_endPoint} was lost before all replies arrived: {reason.Message}", reason));
            operation.ReleaseFromPipeline();
        }
    }
}
