using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Ticker.Client.Kite;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Protocol.Kite;
using Ticker.Silo.Hosting;

namespace Ticker.Silo.KiteMock;

/// <summary>
/// A local stand-in for Kite's ticker (<c>wss://ws.kite.trade</c>) on loopback, for tests, demos and recording
/// practice: it accepts only its API key and access token (HTTP 403 otherwise, HTTP 429 past 3 connections per key),
/// takes subscribe / unsubscribe / mode messages (3,000 instruments per connection; new subscriptions in mode quote),
/// and sends each connection binary frames of what changed among its subscriptions in each token's mode, with a
/// 1-byte heartbeat when idle. Faults are injected through <c>/control/…</c> or the methods of the same names.
/// </summary>
public sealed partial class KiteMockServer : IAsyncDisposable
{
    private static readonly byte[][] GarbageFrames =
    [
        [0x00, 0x02, 0x00, 0x07, 1, 2, 3, 4, 5, 6, 7], // a packet of an unknown length (7)
        [0x00, 0x03, 0x00, 0x08, 0, 0, 1, 2, 0, 0, 0, 100], // three packets announced, one present
        [0x00, 0x01, 0x00, 0x2C, 0, 0, 1, 2, 0, 0, 0, 100], // a 44-byte quote cut after 8 bytes
    ];

    /// <summary>The most sessions kept in <see cref="Sessions"/>; past it, closed ones are forgotten.</summary>
    public const int MaxSessionsKept = 1_000;

    private readonly KiteMockOptions _options;
    private readonly WebApplication _app;
    private readonly ILogger _logger;
    private readonly List<KiteMockSession> _sessions = [];
    private readonly Dictionary<string, int> _openPerKey = new(StringComparer.Ordinal);
    private readonly Lock _sessionsLock = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _pump = Task.CompletedTask;
    private int _nextId;
    private long _upgradeRequests;
    private long _rejectedUpgrades;
    private long _refusedForLimit;

    private KiteMockServer(KiteMockOptions options, KiteMockMarket market, ILogger logger)
    {
        _options = options;
        Market = market;
        _logger = logger;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{options.Port}"));

        // The server lives inside a command or a test, which owns Ctrl-C and SIGTERM.
        builder.Services.AddSingleton<IHostLifetime, PassiveHostLifetime>();
        _app = builder.Build();

        // No WebSocket pings: like Kite, the mock's keep-alive is its in-band heartbeat.
        _app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        _app.Map("/", HandleUpgradeAsync);
        _app.MapPost("/control/drop", context => ReplyAsync(context, DropAll()));
        _app.MapPost("/control/stall", context => TryQuery(context, "seconds", 10, out var seconds) && seconds >= 0
            ? ReplyAsync(context, StallAll(TimeSpan.FromSeconds(seconds)))
            : BadRequestAsync(context, "seconds must be a number ≥ 0"));
        _app.MapPost("/control/garbage", context => TryQuery(context, "count", 1, out var count) && count is >= 1 and <= 10_000
            ? ReplyAsync(context, SendGarbage((int)count))
            : BadRequestAsync(context, "count must be a whole number from 1 to 10000"));
        _app.MapPost("/control/error", context => ReplyAsync(context, SendText("error", context.Request.Query["message"].FirstOrDefault() ?? "mock error")));
        _app.MapPost("/control/message", context => ReplyAsync(context, SendText(
            context.Request.Query["type"].FirstOrDefault() ?? "message", context.Request.Query["data"].FirstOrDefault() ?? "")));
        _app.MapGet("/control/stats", WriteStatsAsync);
    }

    /// <summary>The port the server listens on.</summary>
    public int Port { get; private set; }

    /// <summary>The ticker URL: <c>ws://127.0.0.1:port/</c>.</summary>
    public Uri Url => new(string.Create(CultureInfo.InvariantCulture, $"ws://127.0.0.1:{Port}/"));

    /// <summary>The control endpoint's base: <c>http://127.0.0.1:port/control/</c>.</summary>
    public Uri ControlUrl => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/control/"));

    /// <summary>The market served.</summary>
    public KiteMockMarket Market { get; }

    /// <summary>WebSocket upgrade requests received (refused ones included).</summary>
    public long UpgradeRequests => Volatile.Read(ref _upgradeRequests);

    /// <summary>Upgrades refused with HTTP 403 (bad API key or access token).</summary>
    public long RejectedUpgrades => Volatile.Read(ref _rejectedUpgrades);

    /// <summary>Upgrades refused with HTTP 429 (too many connections for the key).</summary>
    public long RefusedForLimit => Volatile.Read(ref _refusedForLimit);

    /// <summary>Every session so far, in accept order (closed ones included, up to <see cref="MaxSessionsKept"/>).</summary>
    public IReadOnlyList<KiteMockSession> Sessions
    {
        get
        {
            lock (_sessionsLock)
            {
                return [.. _sessions];
            }
        }
    }

    /// <summary>The sessions open now.</summary>
    public IReadOnlyList<KiteMockSession> OpenSessions => [.. Sessions.Where(static s => s.Open)];

    /// <summary>Starts a server; with <see cref="KiteMockOptions.Port"/> 0 it takes any free port (see <see cref="Port"/>).</summary>
    public static async Task<KiteMockServer> StartAsync(KiteMockOptions options, ILoggerFactory? loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var master = options.Master ?? SyntheticMaster.Create(SyntheticMaster.TodayInIndia(TimeProvider.System));
        var count = options.Instruments > 0 ? options.Instruments : master.Count;
        var market = new KiteMockMarket(master, KiteInstrumentSelection.Select(master, count), options.Seed, NowUs());
        var logger = loggers?.CreateLogger<KiteMockServer>() ?? (ILogger)NullLogger.Instance;
        var server = new KiteMockServer(options, market, logger);
        await server._app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Port = new Uri(address).Port;
        server._pump = server.PumpAsync(server._stopping.Token);
        return server;
    }

    /// <summary>Aborts every open connection without a close handshake (the client sees a dropped connection).</summary>
    /// <returns>How many were dropped.</returns>
    public int DropAll()
    {
        var open = OpenSessions;
        foreach (var session in open)
        {
            session.Abort();
        }

        LogFault(_logger, "drop", open.Count);
        return open.Count;
    }

    /// <summary>
    /// Makes every connection open now go silent for <paramref name="duration"/>: no ticks, no heartbeats, the
    /// socket left open (a "silently dead" ticker). Connections opened afterwards are not affected.
    /// </summary>
    /// <returns>How many were stalled.</returns>
    public int StallAll(TimeSpan duration)
    {
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var open = OpenSessions;
        foreach (var session in open)
        {
            session.StallUntil(until);
        }

        LogFault(_logger, "stall", open.Count);
        return open.Count;
    }

    /// <summary>Sends <paramref name="count"/> malformed binary frames to every open connection.</summary>
    /// <returns>How many connections they were queued for.</returns>
    public int SendGarbage(int count)
    {
        var open = OpenSessions;
        foreach (var session in open)
        {
            for (var i = 0; i < count; i++)
            {
                session.Outbox.Enqueue((WebSocketMessageType.Binary, GarbageFrames[i % GarbageFrames.Length]));
            }
        }

        LogFault(_logger, "garbage", open.Count);
        return open.Count;
    }

    /// <summary>Sends the text message <c>{"type": type, "data": data}</c> to every open connection.</summary>
    /// <returns>How many connections it was queued for.</returns>
    public int SendText(string type, string data)
    {
        var payload = TextMessage(type, data);
        var open = OpenSessions;
        foreach (var session in open)
        {
            session.Outbox.Enqueue((WebSocketMessageType.Text, payload));
        }

        LogFault(_logger, type, open.Count);
        return open.Count;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _pump.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        foreach (var session in OpenSessions)
        {
            session.Abort();
        }

        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private static long NowUs() => UnixTime.Microseconds(DateTimeOffset.UtcNow);

    private static byte[] TextMessage(string type, string data)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + data.Length);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            json.WriteString("data", data);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static bool TryQuery(HttpContext context, string name, double fallback, out double value)
    {
        var text = context.Request.Query[name].FirstOrDefault();
        if (text is null)
        {
            value = fallback;
            return true;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    private static async Task ReplyAsync(HttpContext context, int sessions)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"{{\"ok\":true,\"sessions\":{sessions}}}\n")).ConfigureAwait(false);
    }

    private static async Task BadRequestAsync(HttpContext context, string message)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await context.Response.WriteAsync(message + "\n").ConfigureAwait(false);
    }

    private async Task HandleUpgradeAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await BadRequestAsync(context, "This is a Kite ticker mock: open a WebSocket with ?api_key=…&access_token=…").ConfigureAwait(false);
            return;
        }

        Interlocked.Increment(ref _upgradeRequests);
        var apiKey = context.Request.Query["api_key"].FirstOrDefault() ?? "";
        var accessToken = context.Request.Query["access_token"].FirstOrDefault() ?? "";
        if (!string.Equals(apiKey, _options.ApiKey, StringComparison.Ordinal) || !string.Equals(accessToken, _options.AccessToken, StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _rejectedUpgrades);
            LogRejected(_logger, apiKey);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync("Invalid api_key or access_token\n").ConfigureAwait(false);
            return;
        }

        lock (_sessionsLock)
        {
            var open = _openPerKey.GetValueOrDefault(apiKey);
            if (open >= _options.MaxConnectionsPerApiKey)
            {
                Interlocked.Increment(ref _refusedForLimit);
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            }
            else
            {
                _openPerKey[apiKey] = open + 1;
            }
        }

        if (context.Response.StatusCode == StatusCodes.Status429TooManyRequests)
        {
            await context.Response.WriteAsync($"At most {_options.MaxConnectionsPerApiKey} connections per api_key\n").ConfigureAwait(false);
            return;
        }

        KiteMockSession? session = null;
        try
        {
            var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            lock (_sessionsLock)
            {
                session = new KiteMockSession(++_nextId, apiKey, context.Request.Headers["X-Kite-Version"].FirstOrDefault(), context, socket);
                _sessions.Add(session);
                if (_sessions.Count > MaxSessionsKept)
                {
                    // A long reconnect storm must not grow the history without bound: forget the oldest closed ones.
                    _sessions.RemoveAll(static s => !s.Open);
                }
            }

            LogOpened(_logger, session.Id, apiKey);
            await RunSessionAsync(session).ConfigureAwait(false);
        }
        finally
        {
            session?.MarkClosed();
            lock (_sessionsLock)
            {
                _openPerKey[apiKey]--;
            }

            if (session is not null)
            {
                LogClosed(_logger, session.Id, session.TicksSent);
            }
        }
    }

    private async Task RunSessionAsync(KiteMockSession session)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(session.Context.RequestAborted, _stopping.Token);
        var sender = SendLoopAsync(session, stop.Token);
        try
        {
            await ReceiveLoopAsync(session, stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The client went away or the server is stopping.
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await sender.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                // Sending stops with the connection.
            }
        }
    }

    private async Task ReceiveLoopAsync(KiteMockSession session, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var tokens = new List<uint>();
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (count == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, count).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    result = await session.Socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken).ConfigureAwait(false);
                    count += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await session.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
                    return;
                }

                TickMode mode = 0;
                tokens.Clear();
                var action = result.MessageType == WebSocketMessageType.Text
                    ? KiteMessages.ParseClientMessage(buffer.AsSpan(0, count), tokens, out mode)
                    : KiteAction.Unknown;
                session.OnMessage(action, tokens.Count);
                Apply(session, action, tokens, mode);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Apply(KiteMockSession session, KiteAction action, List<uint> tokens, TickMode mode)
    {
        var refused = 0;
        lock (session.SubscriptionLock)
        {
            var table = session.SubscriptionTable;
            switch (action)
            {
                case KiteAction.Subscribe:
                    foreach (var token in tokens)
                    {
                        if (table.ContainsKey(token))
                        {
                            continue;
                        }

                        if (table.Count >= _options.MaxInstrumentsPerConnection)
                        {
                            refused++;
                            continue;
                        }

                        table[token] = new KiteMockSession.Subscription { Slot = Market.TryGetSlot(token, out var slot) ? slot : -1 };
                    }

                    break;
                case KiteAction.Unsubscribe:
                    foreach (var token in tokens)
                    {
                        table.Remove(token);
                    }

                    break;
                case KiteAction.Mode:
                    foreach (var token in tokens)
                    {
                        if (table.TryGetValue(token, out var subscription))
                        {
                            // Sent again promptly in the new mode, as Kite does.
                            subscription.Mode = mode;
                            subscription.SentVersion = 0;
                        }
                    }

                    break;
            }
        }

        if (action == KiteAction.Unknown)
        {
            session.Outbox.Enqueue((WebSocketMessageType.Text, TextMessage("error", "Invalid message")));
        }

        if (refused > 0)
        {
            session.OnLimitError();
            session.Outbox.Enqueue((WebSocketMessageType.Text, TextMessage(
                "error", $"Subscription limit exceeded: at most {_options.MaxInstrumentsPerConnection} instruments per connection ({refused} not subscribed)")));
        }
    }

    private async Task SendLoopAsync(KiteMockSession session, CancellationToken cancellationToken)
    {
        var ticks = new Tick[Math.Max(1, _options.MaxInstrumentsPerConnection)];
        var maxPackets = Math.Max(1, _options.MaxPacketsPerFrame);
        var frame = new byte[KitePacketLengths.MessageHeader + (maxPackets * (KitePacketLengths.PacketHeader + KitePacketLengths.Full))];
        byte[] heartbeat = [0];
        var lastSent = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(_options.TickInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            var now = Stopwatch.GetTimestamp();
            if (session.IsStalled(now))
            {
                continue;
            }

            var sent = false;
            while (session.Outbox.TryDequeue(out var message))
            {
                await session.Socket.SendAsync(message.Payload, message.Type, true, cancellationToken).ConfigureAwait(false);
                if (message.Type == WebSocketMessageType.Text)
                {
                    session.OnTextSent();
                }

                sent = true;
            }

            var count = Collect(session, ticks);
            for (var offset = 0; offset < count; offset += maxPackets)
            {
                var packets = Math.Min(maxPackets, count - offset);
                var length = KiteEncoder.Encode(ticks.AsSpan(offset, packets), frame);
                await session.Socket.SendAsync(frame.AsMemory(0, length), WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
                session.OnFrameSent(packets);
                sent = true;
            }

            if (sent)
            {
                lastSent = now;
            }
            else if (Stopwatch.GetElapsedTime(lastSent) >= _options.HeartbeatInterval)
            {
                await session.Socket.SendAsync(heartbeat, WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
                session.OnHeartbeatSent();
                lastSent = now;
            }
        }
    }

    /// <summary>Copies the subscribed ticks that changed since last sent, each in its subscriber's mode.</summary>
    private int Collect(KiteMockSession session, Tick[] ticks)
    {
        var count = 0;
        lock (Market.Lock)
        {
            lock (session.SubscriptionLock)
            {
                foreach (var subscription in session.SubscriptionTable.Values)
                {
                    if (subscription.Slot < 0 || count == ticks.Length)
                    {
                        continue;
                    }

                    var version = Market.Version(subscription.Slot);
                    if (version <= subscription.SentVersion)
                    {
                        continue;
                    }

                    ticks[count] = Market.Latest(subscription.Slot);
                    ticks[count].Mode = subscription.Mode;
                    subscription.SentVersion = version;
                    count++;
                }
            }
        }

        return count;
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        var perTick = _options.Rate * _options.TickInterval.TotalSeconds;
        var carry = 0.0;
        using var timer = new PeriodicTimer(_options.TickInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                carry += perTick;
                var updates = (int)Math.Min(carry, 1_000_000);
                carry -= updates;
                lock (Market.Lock)
                {
                    Market.Advance(updates, NowUs());
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task WriteStatsAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("port", Port);
        json.WriteNumber("instruments", Market.Tokens.Count);
        json.WriteNumber("upgrade_requests", UpgradeRequests);
        json.WriteNumber("rejected_upgrades", RejectedUpgrades);
        json.WriteNumber("refused_for_limit", RefusedForLimit);
        json.WriteStartArray("sessions");
        foreach (var s in Sessions)
        {
            json.WriteStartObject();
            json.WriteNumber("id", s.Id);
            json.WriteString("api_key", s.ApiKey);
            json.WriteBoolean("open", s.Open);
            json.WriteNumber("subscriptions", s.SubscriptionCount);
            json.WriteNumber("messages_received", s.MessagesReceived);
            json.WriteNumber("limit_errors", s.LimitErrors);
            json.WriteNumber("frames_sent", s.FramesSent);
            json.WriteNumber("ticks_sent", s.TicksSent);
            json.WriteNumber("heartbeats_sent", s.HeartbeatsSent);
            json.WriteNumber("text_sent", s.TextSent);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "kite-mock: session {Id} opened (api_key {ApiKey})")]
    private static partial void LogOpened(ILogger logger, int id, string apiKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "kite-mock: session {Id} closed after {Ticks} ticks")]
    private static partial void LogClosed(ILogger logger, int id, long ticks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "kite-mock: refused an upgrade with HTTP 403 (api_key '{ApiKey}' or its access token is wrong)")]
    private static partial void LogRejected(ILogger logger, string apiKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "kite-mock: fault '{Fault}' applied to {Sessions} sessions")]
    private static partial void LogFault(ILogger logger, string fault, int sessions);
}
