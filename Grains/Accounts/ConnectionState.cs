namespace Ticker.Grains.Accounts;

/// <summary>
/// The live state of one feed connection of an account, updated by the connection's receive loop (plain volatile
/// writes, one writer) and read by anyone.
/// </summary>
public sealed class ConnectionState
{
    private long _lastFrameUs;
    private long _lastTickUs;
    private long _ticks;
    private long _reconnects;
    private int _instruments;
    private int _connected;

    /// <summary>Creates the state of connection number <paramref name="index"/>.</summary>
    public ConnectionState(int index) => Index = index;

    /// <summary>Connection number within the account (0..2).</summary>
    public int Index { get; }

    /// <summary>Whether the connection is open.</summary>
    public bool Connected => Volatile.Read(ref _connected) != 0;

    /// <summary>Instruments subscribed on this connection.</summary>
    public int Instruments => Volatile.Read(ref _instruments);

    /// <summary>When the last frame of any kind (heartbeats included) arrived, Unix microseconds.</summary>
    public long LastFrameUs => Volatile.Read(ref _lastFrameUs);

    /// <summary>When the last tick arrived, Unix microseconds.</summary>
    public long LastTickUs => Volatile.Read(ref _lastTickUs);

    /// <summary>Ticks received.</summary>
    public long Ticks => Volatile.Read(ref _ticks);

    /// <summary>Reconnects so far.</summary>
    public long Reconnects => Volatile.Read(ref _reconnects);

    /// <summary>Marks the connection open or closed.</summary>
    public void SetConnected(bool connected) => Volatile.Write(ref _connected, connected ? 1 : 0);

    /// <summary>Sets the number of instruments subscribed.</summary>
    public void SetInstruments(int count) => Volatile.Write(ref _instruments, count);

    /// <summary>Records a frame (a heartbeat when <paramref name="ticks"/> is 0).</summary>
    public void OnFrame(long nowUs, int ticks)
    {
        Volatile.Write(ref _lastFrameUs, nowUs);
        if (ticks > 0)
        {
            Volatile.Write(ref _lastTickUs, nowUs);
            Interlocked.Add(ref _ticks, ticks);
        }
    }

    /// <summary>Counts a reconnect.</summary>
    public void OnReconnect() => Interlocked.Increment(ref _reconnects);
}
