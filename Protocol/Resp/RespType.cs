namespace Ticker.Protocol.Resp;

/// <summary>The five RESP2 value types, named after their leading byte.</summary>
public enum RespType : byte
{
    /// <summary>No value has been read yet.</summary>
    None = 0,

    /// <summary><c>+OK\r\n</c>: a short status line.</summary>
    SimpleString = (byte)'+',

    /// <summary><c>-ERR message\r\n</c>: an error reply.</summary>
    Error = (byte)'-',

    /// <summary><c>:42\r\n</c>: a signed 64-bit integer.</summary>
    Integer = (byte)':',

    /// <summary><c>$5\r\nhello\r\n</c>: binary-safe bytes; <c>$-1\r\n</c> is nil.</summary>
    BulkString = (byte)'$',

    /// <summary><c>*2\r\n...</c>: a sequence of values; <c>*-1\r\n</c> is nil.</summary>
    Array = (byte)'*',
}
