using System.Collections.Concurrent;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Ticker.Client.Kite;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Silo.KiteMock;

/// <summary>
/// One client connection of the <see cref="KiteMockServer"/>: what it subscribed, in which modes, what it sent and
/// what it was sent. Counters are safe to read from any thread while the session runs.
/// </summary>
public sealed class KiteMockSession
{
    private readonly Dictionary<uint, Subscription> _subscriptions = [];
    private readonly Lock _lock = new();
    private long _messagesReceived;
    private long _subscribeMessages;
    private long _unsubscribeMessages;
    private long _modeMessages;
    private long _unknownMessages;
    private long _limitErrors;
    private long _framesSent;
    private long _ticksSent;
    private long _heartbeatsSent;
    private long _textSent;
    private int _largestMessageTokens;
    private long _stalledUntil;
    private int _closed;

    internal KiteMockSession(int id, string apiKey, string? kiteVersion, HttpContext context, WebSocket socket)
    {
        Id = id;
        ApiKey = apiKey;
        KiteVersionHeader = kiteVersion;
        Context = context;
        Socket = socket;
    }

    /// <summary>The session's number (1, 2, … in accept order).</summary>
    public int Id { get; }

    /// <summary>The API key it connected with.</summary>
    public string ApiKey { get; }

    /// <summary>The <c>X-Kite-Version</c> header of the upgrade request (null when absent).</summary>
    public string? KiteVersionHeader { get; }

    /// <summary>False once the connection has closed.</summary>
    public bool Open => Volatile.Read(ref _closed) == 0;

    /// <summary>Text messages received from the client.</summary>
    public long MessagesReceived => Volatile.Read(ref _messagesReceived);

    /// <summary>Subscribe messages received.</summary>
    public long SubscribeMessages => Volatile.Read(ref _subscribeMessages);

    /// <summary>Unsubscribe messages received.</summary>
    public long UnsubscribeMessages => Volatile.Read(ref _unsubscribeMessages);

    /// <summary>Mode messages received.</summary>
    public long ModeMessages => Volatile.Read(ref _modeMessages);

    /// <summary>Messages that were not a valid subscribe, unsubscribe or mode message.</summary>
    public long UnknownMessages => Volatile.Read(ref _unknownMessages);

    /// <summary>Subscribe messages that would have passed the per-connection instrument limit.</summary>
    public long LimitErrors => Volatile.Read(ref _limitErrors);

    /// <summary>The most tokens seen in one client message.</summary>
    public int LargestMessageTokens => Volatile.Read(ref _largestMessageTokens);

    /// <summary>Binary frames with ticks sent.</summary>
    public long FramesSent => Volatile.Read(ref _framesSent);

    /// <summary>Ticks (packets) sent.</summary>
    public long TicksSent => Volatile.Read(ref _ticksSent);

    /// <summary>Heartbeats sent.</summary>
    public long HeartbeatsSent => Volatile.Read(ref _heartbeatsSent);

    /// <summary>Text messages sent (errors and injected messages).</summary>
    public long TextSent => Volatile.Read(ref _textSent);

    /// <summary>Instruments subscribed now.</summary>
    public int SubscriptionCount
    {
        get
        {
            lock (_lock)
            {
                return _subscriptions.Count;
            }
        }
    }

    internal HttpContext Context { get; }

    internal WebSocket Socket { get; }

    /// <summary>Messages waiting to be sent by the send loop (faults and errors).</summary>
    internal ConcurrentQueue<(WebSocketMessageType Type, byte[] Payload)> Outbox { get; } = new();

    internal Lock SubscriptionLock => _lock;

    internal Dictionary<uint, Subscription> SubscriptionTable => _subscriptions;

    /// <summary>A copy of the subscriptions: token → mode.</summary>
    public IReadOnlyDictionary<uint, TickMode> Subscriptions()
    {
        lock (_lock)
        {
            return _subscriptions.ToDictionary(static p => p.Key, static p => p.Value.Mode);
        }
    }

    internal void StallUntil(long timestamp) => Volatile.Write(ref _stalledUntil, timestamp);

    internal bool IsStalled(long now) => now < Volatile.Read(ref _stalledUntil);

    /// <summary>Marks the session closed; after this <see cref="Abort"/> does nothing (its context may be reused).</summary>
    internal void MarkClosed()
    {
        lock (_lock)
        {
            Volatile.Write(ref _closed, 1);
        }
    }

    /// <summary>Aborts the connection without a close handshake, unless the session has already closed.</summary>
    internal void Abort()
    {
        lock (_lock)
        {
            if (Open)
            {
                Context.Abort();
            }
        }
    }

    internal void OnMessage(KiteAction kind, int tokens)
    {
        Interlocked.Increment(ref _messagesReceived);
        switch (kind)
        {
            case KiteAction.Subscribe:
                Interlocked.Increment(ref _subscribeMessages);
                break;
            case KiteAction.Unsubscribe:
                Interlocked.Increment(ref _unsubscribeMessages);
                break;
            case KiteAction.Mode:
                Interlocked.Increment(ref _modeMessages);
                break;
            default:
                Interlocked.Increment(ref _unknownMessages);
                break;
        }

        if (tokens > Volatile.Read(ref _largestMessageTokens))
        {
            Volatile.Write(ref _largestMessageTokens, tokens);
        }
    }

    internal void OnLimitError() => Interlocked.Increment(ref _limitErrors);

    internal void OnFrameSent(int ticks)
    {
        Interlocked.Increment(ref _framesSent);
        Interlocked.Add(ref _ticksSent, ticks);
    }

    internal void OnHeartbeatSent() => Interlocked.Increment(ref _heartbeatsSent);

    internal void OnTextSent() => Interlocked.Increment(ref _textSent);

    /// <summary>One subscribed token: its mode, its market slot (−1: not served) and the version last sent.</summary>
    internal sealed class Subscription
    {
        public TickMode Mode { get; set; } = TickMode.Quote;

        public int Slot { get; init; } = -1;

        public long SentVersion { get; set; }
    }
}
