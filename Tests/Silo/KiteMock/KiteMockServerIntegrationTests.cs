using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Ticker.Client.Kite;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Protocol.Kite;
using Ticker.Silo.KiteMock;
using Ticker.Tests.Client.Kite;

namespace Ticker.Tests.Silo.KiteMock;

/// <summary>The Kite mock driven by a bare ClientWebSocket: the protocol as the wire shows it.</summary>
public sealed class KiteMockServerIntegrationTests
{
    [Theory]
    [InlineData("test_api_key", "wrong")]
    [InlineData("wrong", KiteTestServer.AccessToken)]
    [InlineData("", "")]
    public async Task A_bad_key_or_token_gets_403_on_the_upgrade(string apiKey, string accessToken)
    {
        await using var server = await KiteTestServer.StartAsync(instruments: 10);
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(KiteUrl.Build(server.Url.ToString(), apiKey, accessToken), CancellationToken.None));

        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
        Assert.Equal(1, server.RejectedUpgrades);
        Assert.Empty(server.Sessions);
    }

    [Fact]
    public async Task New_subscriptions_stream_in_quote_mode_until_a_mode_message()
    {
        await using var server = await KiteTestServer.StartAsync(instruments: 50);
        var option = server.Market.Tokens[10];
        using var socket = await ConnectAsync(server);

        await SendAsync(socket, $$"""{"a":"subscribe","v":[{{option}}]}""");
        var first = await ReceiveTickAsync(socket, option);
        await SendAsync(socket, $$"""{"a":"mode","v":["full",[{{option}}]]}""");
        var full = await ReceiveTickAsync(socket, option, TickMode.Full);
        await SendAsync(socket, $$"""{"a":"mode","v":["ltp",[{{option}}]]}""");
        var ltp = await ReceiveTickAsync(socket, option, TickMode.Ltp);

        Assert.Equal(TickMode.Quote, first.Mode);
        Assert.True(first.VolumeTraded > 0);
        Assert.True(full.Buy[0].Quantity > 0);
        Assert.Equal(0, ltp.VolumeTraded);
        var session = Assert.Single(server.Sessions);
        Assert.Equal(1, session.SubscribeMessages);
        Assert.Equal(2, session.ModeMessages);
    }

    [Fact]
    public async Task Only_subscribed_tokens_are_sent_and_unsubscribe_stops_them()
    {
        await using var server = await KiteTestServer.StartAsync(instruments: 50);
        var tokens = server.Market.Tokens;
        using var socket = await ConnectAsync(server);
        await SendAsync(socket, $$"""{"a":"subscribe","v":[{{tokens[5]}},{{tokens[6]}},4294967295]}""");
        var seen = new HashSet<uint>();
        await ReceiveUntilAsync(socket, tick => seen.Add(tick.InstrumentToken) && seen.Count == 2);
        await SendAsync(socket, $$"""{"a":"unsubscribe","v":[{{tokens[5]}}]}""");
        await Eventually.WaitUntilAsync(() => server.Sessions[0].SubscriptionCount == 2, "the unsubscribe was applied");

        // Drain what was already on its way, then only the still-subscribed token may arrive.
        var after = new List<uint>();
        var sent = server.Sessions[0].TicksSent;
        await ReceiveUntilAsync(socket, tick =>
        {
            if (server.Sessions[0].TicksSent > sent + 20)
            {
                after.Add(tick.InstrumentToken);
            }

            return after.Count >= 10;
        });

        Assert.Equal(new[] { tokens[5], tokens[6] }.Order(), seen.Order());
        Assert.All(after, t => Assert.Equal(tokens[6], t));
    }

    [Fact]
    public async Task An_idle_connection_gets_one_byte_heartbeats()
    {
        await using var server = await KiteTestServer.StartAsync(instruments: 10);
        using var socket = await ConnectAsync(server);
        var buffer = new byte[1024];

        for (var i = 0; i < 3; i++)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Eventually.DefaultTimeout);
            Assert.Equal(WebSocketMessageType.Binary, result.MessageType);
            Assert.True(KiteDecoder.IsHeartbeat(buffer.AsSpan(0, result.Count)));
        }

        Assert.True(server.Sessions[0].HeartbeatsSent >= 3);
    }

    [Fact]
    public async Task Past_3000_instruments_a_connection_gets_an_error_and_keeps_3000()
    {
        await using var server = await KiteTestServer.StartAsync(instruments: 10);
        using var socket = await ConnectAsync(server);
        for (var chunk = 0; chunk < 4; chunk++)
        {
            var tokens = string.Join(',', Enumerable.Range((chunk * 1000) + 1, chunk == 3 ? 5 : 1000));
            await SendAsync(socket, $$"""{"a":"subscribe","v":[{{tokens}}]}""");
        }

        var error = await ReceiveTextAsync(socket);

        Assert.Contains("\"type\":\"error\"", error, StringComparison.Ordinal);
        Assert.Contains("at most 3000 instruments per connection (5 not subscribed)", error, StringComparison.Ordinal);
        Assert.Equal(3000, server.Sessions[0].SubscriptionCount);
        Assert.Equal(1, server.Sessions[0].LimitErrors);
        Assert.Equal(1000, server.Sessions[0].LargestMessageTokens);
    }

    [Fact]
    public async Task A_fourth_connection_for_one_key_is_refused_with_429()
    {
        await using var server = await KiteTestServer.StartAsync(instruments: 10);
        using var a = await ConnectAsync(server);
        using var b = await ConnectAsync(server);
        using var c = await ConnectAsync(server);
        using var d = new ClientWebSocket();
        d.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => d.ConnectAsync(KiteUrl.Build(server.Url.ToString(), KiteTestServer.ApiKey, KiteTestServer.AccessToken), CancellationToken.None));

        Assert.Equal(HttpStatusCode.TooManyRequests, d.HttpStatusCode);
        Assert.Equal(1, server.RefusedForLimit);
        await a.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await Eventually.WaitUntilAsync(() => server.OpenSessions.Count == 2, "the closed session is gone");
        using var e = await ConnectAsync(server);
        Assert.Equal(3, server.OpenSessions.Count);
    }

    [Fact]
    public async Task The_control_endpoint_injects_faults_and_reports_sessions()
    {
        await using var server = await KiteTestServer.StartAsync(instruments: 10);
        using var socket = await ConnectAsync(server);
        using var http = new HttpClient { BaseAddress = server.ControlUrl };
        await Eventually.WaitUntilAsync(() => server.OpenSessions.Count == 1, "the session is registered");

        var garbage = await http.PostAsync("garbage?count=2", null);
        var frames = new List<byte[]>();
        while (frames.Count < 2)
        {
            var frame = await ReceiveAsync(socket);
            if (frame.Type == WebSocketMessageType.Binary && !KiteDecoder.IsHeartbeat(frame.Bytes))
            {
                frames.Add(frame.Bytes);
            }
        }

        await http.PostAsync("error?message=Token%20expired", null);
        var error = await ReceiveTextAsync(socket);
        await http.PostAsync("message?type=instruments_meta&data=x", null);
        var other = await ReceiveTextAsync(socket);
        using var stats = await http.GetFromJsonAsync<JsonDocument>("stats");
        var badStall = await http.PostAsync("stall?seconds=soon", null);
        var drop = await http.PostAsync("drop", null);

        Assert.Equal("""{"ok":true,"sessions":1}""", (await garbage.Content.ReadAsStringAsync()).Trim());
        Assert.All(frames, f => Assert.NotEqual(KiteDecodeError.None, KiteDecoder.TryDecode(f, new Tick[4], 0, out _)));
        Assert.Equal("""{"type":"error","data":"Token expired"}""", error);
        Assert.Equal("""{"type":"instruments_meta","data":"x"}""", other);
        Assert.Equal(1, stats!.RootElement.GetProperty("sessions").GetArrayLength());
        Assert.Equal(10, stats.RootElement.GetProperty("instruments").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, badStall.StatusCode);
        Assert.Equal(HttpStatusCode.OK, drop.StatusCode);
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            while (true)
            {
                await ReceiveAsync(socket);
            }
        });
        await Eventually.WaitUntilAsync(() => server.OpenSessions.Count == 0, "the dropped session is closed");
    }

    [Fact]
    public async Task A_stall_silences_the_sessions_open_at_the_time_only()
    {
        await using var server = await KiteTestServer.StartAsync(instruments: 10);
        using var stalled = await ConnectAsync(server);
        await Eventually.WaitUntilAsync(() => server.OpenSessions.Count == 1, "the first session is registered");

        Assert.Equal(1, server.StallAll(TimeSpan.FromMinutes(5)));
        var heartbeats = server.Sessions[0].HeartbeatsSent;
        using var fresh = await ConnectAsync(server);
        await Eventually.WaitUntilAsync(() => server.Sessions.Count == 2 && server.Sessions[1].HeartbeatsSent >= 3, "the new session gets heartbeats");

        Assert.Equal(heartbeats, server.Sessions[0].HeartbeatsSent);
        Assert.True(server.Sessions[0].Open);
    }

    [Fact]
    public async Task An_unknown_message_is_answered_with_an_error_and_counted()
    {
        await using var server = await KiteTestServer.StartAsync(instruments: 10);
        using var socket = await ConnectAsync(server);

        await SendAsync(socket, """{"a":"dance","v":[1]}""");
        var error = await ReceiveTextAsync(socket);

        Assert.Equal("""{"type":"error","data":"Invalid message"}""", error);
        Assert.Equal(1, server.Sessions[0].UnknownMessages);
    }

    private static async Task<ClientWebSocket> ConnectAsync(KiteMockServer server)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-Kite-Version", "3");
        await socket.ConnectAsync(KiteUrl.Build(server.Url.ToString(), KiteTestServer.ApiKey, KiteTestServer.AccessToken), CancellationToken.None);
        return socket;
    }

    private static Task SendAsync(ClientWebSocket socket, string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<(WebSocketMessageType Type, byte[] Bytes)> ReceiveAsync(ClientWebSocket socket)
    {
        using var message = new MemoryStream();
        var buffer = new byte[64 * 1024];
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Eventually.DefaultTimeout);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
        return (result.MessageType, message.ToArray());
    }

    private static async Task<string> ReceiveTextAsync(ClientWebSocket socket)
    {
        while (true)
        {
            var (type, bytes) = await ReceiveAsync(socket);
            if (type == WebSocketMessageType.Text)
            {
                return Encoding.UTF8.GetString(bytes);
            }
        }
    }

    private static async Task ReceiveUntilAsync(ClientWebSocket socket, Func<Tick, bool> done)
    {
        while (true)
        {
            var (type, bytes) = await ReceiveAsync(socket);
            if (type != WebSocketMessageType.Binary || KiteDecoder.IsHeartbeat(bytes))
            {
                continue;
            }

            var ticks = new Tick[KiteDecoder.ReadPacketCount(bytes)];
            Assert.Equal(KiteDecodeError.None, KiteDecoder.TryDecode(bytes, ticks, 0, out _));
            foreach (var tick in ticks)
            {
                if (done(tick))
                {
                    return;
                }
            }
        }
    }

    private static async Task<Tick> ReceiveTickAsync(ClientWebSocket socket, uint token, TickMode? mode = null)
    {
        Tick found = default;
        await ReceiveUntilAsync(socket, tick =>
        {
            if (tick.InstrumentToken == token && (mode is null || tick.Mode == mode))
            {
                found = tick;
                return true;
            }

            return false;
        });
        return found;
    }
}
