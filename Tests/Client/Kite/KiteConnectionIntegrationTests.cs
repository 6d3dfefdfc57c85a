using System.Net;
using System.Net.Sockets;
using Ticker.Client.Ingestion;
using Ticker.Client.Kite;
using Ticker.Grains.Accounts;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Protocol.Kite;
using Ticker.Silo.KiteMock;

namespace Ticker.Tests.Client.Kite;

/// <summary>A real <see cref="KiteConnection"/> over loopback WebSockets against the in-process Kite mock.</summary>
public sealed class KiteConnectionIntegrationTests
{
    [Fact]
    public async Task Each_mode_streams_the_fields_of_that_mode()
    {
        await using var server = await KiteTestServer.StartAsync(instruments: 100);
        var tokens = server.Market.Tokens;
        uint[] ltp = [.. tokens.Skip(2).Take(10)];
        uint[] quote = [tokens[1], .. tokens.Skip(12).Take(10)];
        uint[] full = [tokens[0], .. tokens.Skip(22).Take(10)];
        var ticks = new TickCollector();
        var (connection, state, _) = Create(server, ticks);
        Assert.True(await connection.SubscribeAsync(ltp, TickMode.Ltp, CancellationToken.None));
        Assert.True(await connection.SubscribeAsync(quote, TickMode.Quote, CancellationToken.None));
        Assert.True(await connection.SubscribeAsync(full, TickMode.Full, CancellationToken.None));
        using var stop = new CancellationTokenSource();
        var run = connection.RunAsync(stop.Token);

        await Eventually.WaitUntilAsync(() => ticks.HasAll([.. ltp, .. quote, .. full]), "every subscribed instrument ticked");

        foreach (var token in ltp)
        {
            Assert.True(ticks.TryGetLast(token, out var tick));
            Assert.Equal(TickMode.Ltp, tick.Mode);
            Assert.True(tick.LastPrice > 0);
            Assert.Equal(0, tick.VolumeTraded);
            Assert.Equal(0, tick.Close);
        }

        foreach (var token in quote)
        {
            Assert.True(ticks.TryGetLast(token, out var tick));
            Assert.Equal(TickMode.Quote, tick.Mode);
            Assert.True(tick.Close > 0 && tick.High >= tick.Low && tick.Low > 0);
            Assert.Equal(0, tick.ExchangeTimestamp);
            TickAssertNoDepth(tick);
            if (tick.Tradable)
            {
                Assert.True(tick.VolumeTraded > 0 && tick.TotalBuyQuantity > 0);
            }
        }

        foreach (var token in full)
        {
            Assert.True(ticks.TryGetLast(token, out var tick));
            Assert.Equal(TickMode.Full, tick.Mode);
            Assert.True(tick.ExchangeTimestamp > 0 && tick.Close > 0);
            if (tick.Tradable)
            {
                Assert.True(tick.Buy[0].Quantity > 0 && tick.Sell[0].Price > tick.Buy[0].Price && tick.Oi > 0 && tick.LastTradeTime > 0);
            }
        }

        var session = Assert.Single(server.OpenSessions);
        Assert.Equal("3", session.KiteVersionHeader);
        var modes = session.Subscriptions();
        Assert.Equal(ltp.Length + quote.Length + full.Length, modes.Count);
        Assert.All(ltp, t => Assert.Equal(TickMode.Ltp, modes[t]));
        Assert.All(full, t => Assert.Equal(TickMode.Full, modes[t]));
        Assert.True(state.Connected);
        Assert.Equal(modes.Count, state.Instruments);
        Assert.True(state.Ticks > 0 && state.LastFrameUs > 0);
        await stop.CancelAsync();
        Assert.Equal(KiteConnectionOutcome.Cancelled, await run.WaitAsync(Eventually.DefaultTimeout));
        Assert.False(state.Connected);
    }

    [Fact]
    public async Task Subscription_changes_while_connected_reach_the_server()
    {
        await using var server = await KiteTestServer.StartAsync(instruments: 100);
        var tokens = server.Market.Tokens;
        var ticks = new TickCollector();
        var (connection, _, _) = Create(server, ticks);
        Assert.True(await connection.SubscribeAsync(tokens.Take(20), TickMode.Quote, CancellationToken.None));
        using var stop = new CancellationTokenSource();
        var run = connection.RunAsync(stop.Token);
        await Eventually.WaitUntilAsync(() => server.OpenSessions.Count == 1 && server.OpenSessions[0].SubscriptionCount == 20, "20 subscriptions on the server");
        var session = server.OpenSessions[0];

        await connection.SubscribeAsync(tokens.Skip(20).Take(5), TickMode.Full, CancellationToken.None);
        await connection.UnsubscribeAsync(tokens.Take(10), CancellationToken.None);
        await connection.SetModeAsync(tokens.Skip(10).Take(2), TickMode.Ltp, CancellationToken.None);

        await Eventually.WaitUntilAsync(() => session.SubscriptionCount == 15 && session.Subscriptions().GetValueOrDefault(tokens[10]) == TickMode.Ltp, "the changes arrived");
        var modes = session.Subscriptions();
        Assert.Equal(TickMode.Full, modes[tokens[20]]);
        Assert.False(modes.ContainsKey(tokens[0]));
        Assert.Equal(15, connection.SubscriptionCount);
        await Eventually.WaitUntilAsync(() => ticks.TryGetLast(tokens[20], out var t) && t.Mode == TickMode.Full, "a full tick of a token added later");
        await stop.CancelAsync();
        await run.WaitAsync(Eventually.DefaultTimeout);
    }

    [Fact]
    public async Task A_connection_never_owns_more_than_3000_instruments()
    {
        await using var server = await KiteTestServer.StartAsync(instruments: 10);
        var (connection, _, _) = Create(server, new TickCollector());
        var tokens = Enumerable.Range(1, 3_001).Select(i => (uint)i).ToArray();

        Assert.False(await connection.SubscribeAsync(tokens, TickMode.Quote, CancellationToken.None));
        Assert.Equal(0, connection.SubscriptionCount);
        Assert.True(await connection.SubscribeAsync(tokens[..3_000], TickMode.Quote, CancellationToken.None));
        Assert.False(await connection.SubscribeAsync([tokens[^1]], TickMode.Quote, CancellationToken.None));
        Assert.True(await connection.SubscribeAsync([tokens[0]], TickMode.Full, CancellationToken.None));
        Assert.Equal(3_000, connection.SubscriptionCount);
    }

    [Fact]
    public async Task After_a_drop_it_reconnects_and_resubscribes_every_instrument_in_its_mode()
    {
        await using var server = await KiteTestServer.StartAsync(instruments: 200);
        var tokens = server.Market.Tokens;
        var ticks = new TickCollector();
        var (connection, state, logger) = Create(server, ticks);
        await connection.SubscribeAsync(tokens.Take(100), TickMode.Quote, CancellationToken.None);
        await connection.SubscribeAsync(tokens.Skip(100).Take(50), TickMode.Full, CancellationToken.None);
        await connection.SubscribeAsync(tokens.Skip(150).Take(50), TickMode.Ltp, CancellationToken.None);
        var expected = connection.Subscriptions();
        using var stop = new CancellationTokenSource();
        var run = connection.RunAsync(stop.Token);
        await Eventually.WaitUntilAsync(() => ticks.DistinctTokens == 200, "all 200 instruments ticked");

        Assert.Equal(1, server.DropAll());

        await Eventually.WaitUntilAsync(() => server.Sessions.Count >= 2 && server.Sessions[^1].Open && server.Sessions[^1].SubscriptionCount == 200, "a second session with every instrument");
        var second = server.Sessions[^1];

        // The client subscribes everything (as quote, Kite's default) and then sends one mode message per mode: wait
        // for the last of them rather than read the modes between two messages.
        await Eventually.WaitUntilAsync(
            () =>
            {
                var now = second.Subscriptions();
                return now.Count == expected.Count && expected.All(e => now.TryGetValue(e.Key, out var mode) && mode == e.Value);
            },
            "every instrument back in its mode");
        Assert.Equal(expected, second.Subscriptions());
        Assert.True(second.LargestMessageTokens <= KiteMessages.MaxTokensPerMessage);
        var before = ticks.Count;
        await Eventually.WaitUntilAsync(() => ticks.Count > before + 200, "ticks flow again after the reconnect");
        Assert.True(connection.Sessions >= 2);
        Assert.True(state.Reconnects >= 1);
        Assert.True(state.Connected);
        Assert.True(logger.Contains("session ended"), string.Join("\n", logger.Lines));
        Assert.DoesNotContain(logger.Lines, l => l.Contains(KiteTestServer.AccessToken, StringComparison.Ordinal));
        await stop.CancelAsync();
        await run.WaitAsync(Eventually.DefaultTimeout);
    }

    [Fact]
    public async Task A_silent_connection_is_detected_as_stale_closed_and_reopened()
    {
        await using var server = await KiteTestServer.StartAsync(instruments: 50);
        var ticks = new TickCollector();
        var (connection, state, logger) = Create(server, ticks, staleAfter: TimeSpan.FromSeconds(1));
        await connection.SubscribeAsync(server.Market.Tokens, TickMode.Quote, CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var run = connection.RunAsync(stop.Token);
        await Eventually.WaitUntilAsync(() => ticks.DistinctTokens == 50, "every instrument ticked");

        // The stalled socket stays open and says nothing, heartbeats included: only our watchdog can notice.
        Assert.Equal(1, server.StallAll(TimeSpan.FromMinutes(5)));

        await Eventually.WaitUntilAsync(() => connection.StaleCloses >= 1, "the watchdog closed the stale connection");
        await Eventually.WaitUntilAsync(() => server.OpenSessions.Any(s => s.Id > 1 && s.TicksSent > 0), "a new session streams again");
        var before = ticks.Count;
        await Eventually.WaitUntilAsync(() => ticks.Count > before, "ticks arrive on the new session");
        Assert.True(state.Reconnects >= 1);
        Assert.True(logger.Contains("is stale"), string.Join("\n", logger.Lines));
        await stop.CancelAsync();
        await run.WaitAsync(Eventually.DefaultTimeout);
    }

    [Fact]
    public async Task Heartbeats_keep_an_idle_connection_alive_without_ticks()
    {
        await using var server = await KiteTestServer.StartAsync(instruments: 10);
        var (connection, state, _) = Create(server, new TickCollector(), staleAfter: TimeSpan.FromSeconds(1));
        using var stop = new CancellationTokenSource();
        var run = connection.RunAsync(stop.Token);

        await Eventually.WaitUntilAsync(() => connection.Ingest.Heartbeats >= 8, "eight heartbeats (two seconds idle)");

        Assert.Equal(0, connection.StaleCloses);
        Assert.Equal(1, connection.Sessions);
        Assert.Equal(0, connection.Ingest.TicksWritten);
        Assert.Equal(0, state.Ticks);
        Assert.True(state.LastFrameUs > 0);
        await stop.CancelAsync();
        await run.WaitAsync(Eventually.DefaultTimeout);
    }

    [Fact]
    public async Task Garbage_frames_are_counted_and_the_stream_goes_on()
    {
        await using var server = await KiteTestServer.StartAsync(instruments: 20);
        var ticks = new TickCollector();
        var (connection, _, _) = Create(server, ticks);
        await connection.SubscribeAsync(server.Market.Tokens, TickMode.Full, CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var run = connection.RunAsync(stop.Token);
        await Eventually.WaitUntilAsync(() => ticks.DistinctTokens == 20, "every instrument ticked");

        server.SendGarbage(6);

        await Eventually.WaitUntilAsync(() => connection.Ingest.TotalDecodeErrors == 6, "six malformed frames counted");
        Assert.Equal(2, connection.Ingest.DecodeErrors(KiteDecodeError.UnknownPacketLength));
        Assert.Equal(2, connection.Ingest.DecodeErrors(KiteDecodeError.TruncatedPacketLength));
        Assert.Equal(2, connection.Ingest.DecodeErrors(KiteDecodeError.TruncatedPacket));
        var before = ticks.Count;
        await Eventually.WaitUntilAsync(() => ticks.Count > before, "ticks keep coming");
        Assert.Equal(1, connection.Sessions);
        await stop.CancelAsync();
        await run.WaitAsync(Eventually.DefaultTimeout);
    }

    [Fact]
    public async Task Text_messages_are_counted_by_type_unknown_ones_included()
    {
        await using var server = await KiteTestServer.StartAsync(instruments: 10);
        var (connection, _, logger) = Create(server, new TickCollector());
        using var stop = new CancellationTokenSource();
        var run = connection.RunAsync(stop.Token);
        await Eventually.WaitUntilAsync(() => server.OpenSessions.Count == 1, "connected");

        server.SendText("error", "Market closed for maintenance");
        server.SendText("message", "hello");
        server.SendText("order", "{}");
        server.SendText("instruments_meta", "x");
        server.SendText("error", "second error");

        await Eventually.WaitUntilAsync(() => connection.TextMessages(KiteTextMessageType.Other) == 1 && connection.TextMessages(KiteTextMessageType.Error) == 2, "five text messages counted");
        Assert.Equal(1, connection.TextMessages(KiteTextMessageType.Message));
        Assert.Equal(1, connection.TextMessages(KiteTextMessageType.Order));
        Assert.Equal(0, connection.TextMessages(KiteTextMessageType.Malformed));
        Assert.True(logger.Contains("Market closed for maintenance"), string.Join("\n", logger.Lines));
        Assert.Equal(1, connection.Sessions);
        Assert.Equal(KiteConnectionStatus.Connected, connection.Status);
        await stop.CancelAsync();
        await run.WaitAsync(Eventually.DefaultTimeout);
    }

    [Fact]
    public async Task Refused_credentials_are_reported_once_and_not_retried()
    {
        await using var server = await KiteTestServer.StartAsync(instruments: 10);
        var logger = new ListLogger();
        var state = new ConnectionState(0);
        const string wrongToken = "wrong_SECRET_token_9999";
        var connection = new KiteConnection(
            KiteTestServer.Options(server), KiteTestServer.Credentials(wrongToken), 0, new IngestWriter(new TickCollector()), state, TimeProvider.System, logger);
        await connection.SubscribeAsync(server.Market.Tokens, TickMode.Quote, CancellationToken.None);

        var outcome = await connection.RunAsync(CancellationToken.None).WaitAsync(Eventually.DefaultTimeout);

        Assert.Equal(KiteConnectionOutcome.CredentialsRejected, outcome);
        Assert.Equal(KiteConnectionStatus.CredentialsRejected, connection.Status);
        Assert.Equal(1, connection.ConnectAttempts);
        Assert.Equal(1, connection.CredentialRejections);
        Assert.Equal(1, server.UpgradeRequests);
        Assert.Equal(1, server.RejectedUpgrades);
        Assert.Empty(server.Sessions);
        Assert.False(state.Connected);
        Assert.Equal(0, state.Reconnects);
        Assert.Single(logger.Lines, l => l.Contains("Kite refused the API key or access token", StringComparison.Ordinal));
        Assert.DoesNotContain(logger.Lines, l => l.Contains(wrongToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Failed_connects_back_off_give_up_after_max_attempts_and_never_log_the_token()
    {
        var port = FreePort();
        var logger = new ListLogger();
        var options = new KiteOptions
        {
            Url = $"ws://127.0.0.1:{port}/",
            Reconnect = new KiteReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(50), MaxAttempts = 4 },
        };
        var state = new ConnectionState(0);
        var connection = new KiteConnection(options, KiteTestServer.Credentials(), 0, new IngestWriter(new TickCollector()), state, TimeProvider.System, logger);

        var outcome = await connection.RunAsync(CancellationToken.None).WaitAsync(Eventually.DefaultTimeout);

        Assert.Equal(KiteConnectionOutcome.GaveUp, outcome);
        Assert.Equal(4, connection.ConnectAttempts);
        Assert.Equal(3, state.Reconnects);
        Assert.Equal(0, connection.Sessions);

        // Rate-limited: one failure line for the storm (and the give-up), not one per attempt.
        var failures = logger.Lines.Where(l => l.Contains("connect to", StringComparison.Ordinal)).ToList();
        Assert.Single(failures);
        Assert.Contains("access_token=***", failures[0], StringComparison.Ordinal);
        Assert.True(logger.Contains("giving up after 4 failed attempts"));
        Assert.DoesNotContain(logger.Lines, l => l.Contains(KiteTestServer.AccessToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Running_twice_is_refused()
    {
        await using var server = await KiteTestServer.StartAsync(instruments: 10);
        var (connection, _, _) = Create(server, new TickCollector());
        using var stop = new CancellationTokenSource();
        var run = connection.RunAsync(stop.Token);

        await Assert.ThrowsAsync<InvalidOperationException>(() => connection.RunAsync(stop.Token));
        await stop.CancelAsync();
        await run.WaitAsync(Eventually.DefaultTimeout);
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static (KiteConnection Connection, ConnectionState State, ListLogger Logger) Create(KiteMockServer server, TickCollector ticks, TimeSpan? staleAfter = null)
    {
        var logger = new ListLogger();
        var state = new ConnectionState(0);
        var connection = new KiteConnection(
            KiteTestServer.Options(server, staleAfter), KiteTestServer.Credentials(), 0, new IngestWriter(ticks), state, TimeProvider.System, logger);
        return (connection, state, logger);
    }

    private static void TickAssertNoDepth(in Tick tick) => Protocol.Kite.TickAssert.NoDepth(in tick);
}
