using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Ticker.Protocol.Resp;

namespace Ticker.Tests.Protocol.Resp;

/// <summary>
/// A scripted loopback server (no redis-server: it must send what a real one never would) checks that a
/// malformed reply fails the commands in flight and reconnects, rather than hanging or crashing.
/// </summary>
public sealed class RedisConnectionProtocolErrorUnitTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("$-5\r\n", "negative length")]
    [InlineData("!oops\r\n", "unknown type")]
    [InlineData(":99999999999999999999999\r\n", "overflow")]
    [InlineData("+OK\n", "missing CR")]
    [InlineData("+OK\r\n+EXTRA\r\n", "a reply nobody asked for")]
    public async Task Garbage_reply_fails_the_command_and_the_connection_reconnects(string garbage, string why)
    {
        await using var server = new ScriptedServer(connection => connection == 0 ? garbage : "+OK\r\n");
        var options = RedisConnectionOptions.Parse($"127.0.0.1:{server.Port},reconnectDelay=10,reconnectMaxDelay=50");
        await using var connection = await RedisConnection.ConnectAsync(options);

        if (why == "a reply nobody asked for")
        {
            // The first reply is fine; the extra one arrives with nothing waiting and must break the connection.
            Assert.Equal("OK", (await connection.ExecuteAsync("SET", "k", "v")).AsString());
        }
        else
        {
            var error = await Assert.ThrowsAsync<RedisConnectionException>(async () => await connection.ExecuteAsync("SET", "k", "v"));
            Assert.IsType<RedisProtocolException>(Innermost(error));
        }

        await WaitUntilAsync(() => connection.ReconnectCount == 1);
        await connection.WaitUntilConnectedAsync().WaitAsync(Patience);
        Assert.Equal("OK", (await connection.ExecuteAsync("SET", "k", "v")).AsString());
    }

    [Fact]
    public async Task Server_closing_mid_reply_fails_the_command()
    {
        await using var server = new ScriptedServer(connection => connection == 0 ? "$10\r\nabc" : "+OK\r\n", closeAfterReply: 0);
        var options = RedisConnectionOptions.Parse($"127.0.0.1:{server.Port},reconnectDelay=10,reconnectMaxDelay=50");
        await using var connection = await RedisConnection.ConnectAsync(options);

        await Assert.ThrowsAsync<RedisConnectionException>(async () => await connection.ExecuteAsync("GET", "k"));

        await connection.WaitUntilConnectedAsync().WaitAsync(Patience);
        Assert.Equal("OK", (await connection.ExecuteAsync("GET", "k")).AsString());
    }

    [Fact]
    public async Task Unreachable_server_is_a_connection_error_naming_only_the_endpoint()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var options = RedisConnectionOptions.Parse($"127.0.0.1:{port},password=topsecret,connectTimeout=2000");

        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => RedisConnection.ConnectAsync(options));

        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecret", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silent_server_is_a_connect_timeout()
    {
        await using var server = new ScriptedServer(_ => string.Empty, answerHandshake: false);
        var options = RedisConnectionOptions.Parse($"127.0.0.1:{server.Port},connectTimeout=200");

        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => RedisConnection.ConnectAsync(options));

        Assert.Contains("200 ms", error.Message, StringComparison.Ordinal);
    }

    private static Exception Innermost(Exception error)
    {
        while (error.InnerException is not null)
        {
            error = error.InnerException;
        }

        return error;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not hold in time.");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>
    /// Accepts connections; answers the handshake PING with +PONG, then every later command with the text the
    /// script gives for that connection's number (0 first).
    /// </summary>
    private sealed class ScriptedServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Func<int, string> _reply;
        private readonly int _closeAfterReply;
        private readonly bool _answerHandshake;
        private readonly CancellationTokenSource _stop = new();
        private readonly List<TcpClient> _clients = [];
        private readonly Task _accepting;

        public ScriptedServer(Func<int, string> reply, int closeAfterReply = -1, bool answerHandshake = true)
        {
            _reply = reply;
            _closeAfterReply = closeAfterReply;
            _answerHandshake = answerHandshake;
            _listener.Start();
            _accepting = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_clients)
            {
                foreach (var client in _clients)
                {
                    client.Dispose();
                }
            }

            try
            {
                await _accepting;
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }

        private async Task AcceptAsync()
        {
            for (var number = 0; !_stop.IsCancellationRequested; number++)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_clients)
                {
                    _clients.Add(client);
                }

                _ = ServeAsync(client, number);
            }
        }

        private async Task ServeAsync(TcpClient client, int number)
        {
            try
            {
                var stream = client.GetStream();
                var buffer = new byte[64 * 1024];
                var pending = new List<byte>();
                var scanner = default(RespFrameScanner);
                var commands = 0;
                while (true)
                {
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    pending.AddRange(buffer.AsSpan(0, read));
                    while (scanner.TryScan(new ReadOnlySequence<byte>(pending.ToArray()), out var length))
                    {
                        var isPing = RespTestData.Bytes("*1\r\n$4\r\nPING\r\n").AsSpan().SequenceEqual(pending.GetRange(0, (int)length).ToArray());
                        pending.RemoveRange(0, (int)length);
                        var answer = isPing && commands == 0 ? (_answerHandshake ? "+PONG\r\n" : string.Empty) : _reply(number);
                        if (answer.Length > 0)
                        {
                            await stream.WriteAsync(RespTestData.Bytes(answer), _stop.Token);
                        }

                        if (!isPing && _closeAfterReply == number)
                        {
                            client.Client.Shutdown(SocketShutdown.Both);
                            return;
                        }

                        commands++;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }
}
