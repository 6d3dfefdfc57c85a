namespace Ticker.Grains.Accounts;

/// <summary>
/// One broker account (API key) and its feed connections: which instruments each streams, its last heartbeat, and
/// whether the account is active, as its feed process sees it. Connections write their own <see cref="ConnectionState"/>; the grain only reads.
/// </summary>
public sealed class AccountConnections
{
    private readonly ConnectionState[] _connections;

    /// <summary>Creates the grain of <paramref name="accountId"/> with <paramref name="connectionCount"/> connections.</summary>
    public AccountConnections(string accountId, int connectionCount)
    {
        AccountId = accountId;
        _connections = new ConnectionState[connectionCount];
        for (var i = 0; i < connectionCount; i++)
        {
            _connections[i] = new ConnectionState(i);
        }
    }

    /// <summary>The account id (its API key).</summary>
    public string AccountId { get; }

    /// <summary>The connections' states.</summary>
    public IReadOnlyList<ConnectionState> Connections => _connections;

    /// <summary>The view of the account at <paramref name="nowUs"/>; active means a connection is open and saw a frame within <paramref name="staleAfter"/>.</summary>
    public AccountSnapshot GetSnapshot(long nowUs, TimeSpan staleAfter)
    {
        int connected = 0, instruments = 0;
        long lastTick = 0, lastFrame = 0, ticks = 0, reconnects = 0;
        var active = false;
        foreach (var c in _connections)
        {
            var frame = c.LastFrameUs;
            if (c.Connected)
            {
                connected++;
                active |= frame > 0 && nowUs - frame <= (long)staleAfter.TotalMicroseconds;
            }

            instruments += c.Instruments;
            lastTick = Math.Max(lastTick, c.LastTickUs);
            lastFrame = Math.Max(lastFrame, frame);
            ticks += c.Ticks;
            reconnects += c.Reconnects;
        }

        return new AccountSnapshot(AccountId, active, _connections.Length, connected, instruments, lastTick, lastFrame, ticks, reconnects);
    }
}
