namespace Ticker.Client.Kite;

/// <summary>Where a <see cref="KiteConnection"/> is in its life.</summary>
public enum KiteConnectionStatus
{
    /// <summary>Not started.</summary>
    Idle = 0,

    /// <summary>Opening the WebSocket.</summary>
    Connecting = 1,

    /// <summary>Open and streaming.</summary>
    Connected = 2,

    /// <summary>Waiting before the next attempt (backoff).</summary>
    Waiting = 3,

    /// <summary>Kite refused the API key or access token (HTTP 403).</summary>
    CredentialsRejected = 4,

    /// <summary>Stopped: cancelled, refused for good, or out of attempts.</summary>
    Stopped = 5,
}
