namespace Ticker.Client.Kite;

/// <summary>What a client → server message asks (<c>{"a": action, "v": value}</c>).</summary>
public enum KiteAction
{
    /// <summary>Not a message the ticker understands.</summary>
    Unknown = 0,

    /// <summary><c>subscribe</c>: start streaming tokens (in mode quote, unless a mode message follows).</summary>
    Subscribe = 1,

    /// <summary><c>unsubscribe</c>: stop streaming tokens.</summary>
    Unsubscribe = 2,

    /// <summary><c>mode</c>: set the mode of subscribed tokens.</summary>
    Mode = 3,
}
