namespace Ticker.Client.Kite;

/// <summary>The kinds of text message the Kite ticker sends (<c>{"type": T, "data": …}</c>), as counted.</summary>
public enum KiteTextMessageType
{
    /// <summary><c>order</c>: an order postback.</summary>
    Order = 0,

    /// <summary><c>error</c>: an error string from the server.</summary>
    Error = 1,

    /// <summary><c>message</c>: an informational string from the server.</summary>
    Message = 2,

    /// <summary>Any other type: counted and otherwise ignored.</summary>
    Other = 3,

    /// <summary>Not a JSON object with a string <c>type</c>.</summary>
    Malformed = 4,
}
