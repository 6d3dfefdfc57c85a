using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace Ticker.Protocol.Resp;

/// <summary>
/// Opens a socket (and TLS) to the server and performs the handshake (<c>AUTH</c>, <c>SELECT</c>,
/// <c>CLIENT SETNAME</c>, <c>PING</c>), for both the command connection and the subscriber.
/// </summary>
internal static class RedisTransport
{
    /// <summary>The size of the pipes' buffer segments.</summary>
    public const int SegmentSize = 64 * 1024;

    private const int KeepAliveTimeSeconds = 15;
    private const int KeepAliveIntervalSeconds = 5;
    private const int KeepAliveRetryCount = 3;

    private enum HandshakeStep
    {
        Auth,
        Select,
        SetName,
        Ping,
    }

    /// <summary>Connects, sets up TLS and the pipes, and authenticates, all within the connect timeout.</summary>
    /// <exception cref="RedisAuthenticationException">The server refused the credentials.</exception>
    /// <exception cref="RedisConnectionException">The server could not be reached, or refused <c>SELECT</c>.</exception>
    public static async Task<RedisTransportStreams> OpenAsync(RedisConnectionOptions options, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.ConnectTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            EnableKeepAlive(socket);
            await socket.ConnectAsync(new DnsEndPoint(options.Host, options.Port), linked.Token).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (options.Ssl)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions
                    {
                        TargetHost = options.SslHost ?? options.Host,
                        RemoteCertificateValidationCallback = options.CertificateValidation,
                    },
                    linked.Token).ConfigureAwait(false);
            }

            var input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: SegmentSize, minimumReadSize: SegmentSize / 4, leaveOpen: true));
            var output = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: SegmentSize, leaveOpen: true));
            await HandshakeAsync(input, output, options, linked.Token).ConfigureAwait(false);
            return new RedisTransportStreams(socket, stream, input, output);
        }
        catch (Exception ex)
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            socket.Dispose();
            if (ex is RedisException)
            {
                throw;
            }

            if (ex is OperationCanceledException && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new RedisConnectionException(
                    $"Could not connect to {options.EndPoint} within {options.ConnectTimeout.TotalMilliseconds:0} ms.",
                    new TimeoutException());
            }

            if (ex is OperationCanceledException)
            {
                throw;
            }

            throw new RedisConnectionException($"Could not connect to {options.EndPoint}: {ex.Message}", ex);
        }
    }

    private static void EnableKeepAlive(Socket socket)
    {
        // Keep-alive is what notices a server that vanished without closing the connection.
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, KeepAliveTimeSeconds);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, KeepAliveIntervalSeconds);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, KeepAliveRetryCount);
        }
        catch (SocketException)
        {
            // Not every platform has the fine-grained settings; the default keep-alive still helps.
        }
        catch (PlatformNotSupportedException)
        {
        }
    }

    private static async Task HandshakeAsync(PipeReader input, PipeWriter output, RedisConnectionOptions options, CancellationToken cancellationToken)
    {
        var steps = WriteHandshake(output, options);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        var scanner = default(RespFrameScanner);
        var next = 0;
        while (next < steps.Count)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var reader = new SequenceReader<byte>(buffer);
            while (next < steps.Count)
            {
                var start = reader.Position;
                if (!scanner.TryScan(ref reader, out var length))
                {
                    break;
                }

                CheckReply(steps[next++], buffer.Slice(start, length), options);
            }

            input.AdvanceTo(reader.Position, buffer.End);
            if (result.IsCompleted && next < steps.Count)
            {
                throw new RedisConnectionException($"{options.EndPoint} closed the connection during the handshake.");
            }
        }
    }

    private static List<HandshakeStep> WriteHandshake(PipeWriter output, RedisConnectionOptions options)
    {
        var steps = new List<HandshakeStep>(4);
        var writer = new RespWriter(output);
        if (options.Password is not null)
        {
            writer.BeginCommand(options.User is null ? 2 : 3);
            writer.Arg(RespLiterals.AUTH);
            if (options.User is not null)
            {
                writer.Arg(options.User);
            }

            writer.Arg(options.Password);
            steps.Add(HandshakeStep.Auth);
        }

        if (options.Database != 0)
        {
            writer.BeginCommand(2);
            writer.Arg(RespLiterals.SELECT);
            writer.Arg(options.Database);
            steps.Add(HandshakeStep.Select);
        }

        if (options.ClientName is not null)
        {
            writer.BeginCommand(3);
            writer.Arg(RespLiterals.CLIENT);
            writer.Arg(RespLiterals.SETNAME);
            writer.Arg(options.ClientName);
            steps.Add(HandshakeStep.SetName);
        }

        // PING proves the server answers (and that no AUTH was missing) before the connection is handed out.
        writer.BeginCommand(1);
        writer.Arg(RespLiterals.PING);
        steps.Add(HandshakeStep.Ping);
        return steps;
    }

    private static void CheckReply(HandshakeStep step, ReadOnlySequence<byte> frame, RedisConnectionOptions options)
    {
        var bytes = frame.ToArray();
        var reader = new RespReader(bytes);
        reader.Read();
        if (!reader.IsError)
        {
            return;
        }

        // The server's error text never echoes the password, so it is safe to carry.
        var error = new RedisServerException(reader.GetString());
        switch (step)
        {
            case HandshakeStep.Auth:
                throw new RedisAuthenticationException($"Authentication to {options.EndPoint} failed: {error.Message}", error);
            case HandshakeStep.Select:
                throw new RedisConnectionException($"SELECT {options.Database} on {options.EndPoint} failed: {error.Message}", error);
            case HandshakeStep.SetName:
                throw new RedisConnectionException($"CLIENT SETNAME on {options.EndPoint} failed: {error.Message}", error);
            default:
                if (error.ErrorCode is "NOAUTH" or "WRONGPASS" or "NOPERM")
                {
                    throw new RedisAuthenticationException($"{options.EndPoint} requires authentication: {error.Message}", error);
                }

                throw new RedisConnectionException($"PING to {options.EndPoint} failed: {error.Message}", error);
        }
    }
}
