namespace Ticker.Protocol.Resp;

/// <summary>
/// RESP command names, keywords and reply words as UTF-8 literals (no allocation; the bytes live in the assembly's
/// data). Callers of <see cref="RedisBatch"/> write <c>batch.Arg(RespLiterals.HSET)</c>.
/// </summary>
public static class RespLiterals
{
#pragma warning disable CS1591 // The name is the documentation: each property is the command or keyword it spells.
    // Connection
    public static ReadOnlySpan<byte> AUTH => "AUTH"u8;
    public static ReadOnlySpan<byte> SELECT => "SELECT"u8;
    public static ReadOnlySpan<byte> PING => "PING"u8;
    public static ReadOnlySpan<byte> CLIENT => "CLIENT"u8;
    public static ReadOnlySpan<byte> SETNAME => "SETNAME"u8;

    // Strings and keys
    public static ReadOnlySpan<byte> SET => "SET"u8;
    public static ReadOnlySpan<byte> GET => "GET"u8;
    public static ReadOnlySpan<byte> DEL => "DEL"u8;
    public static ReadOnlySpan<byte> EXPIRE => "EXPIRE"u8;
    public static ReadOnlySpan<byte> PEXPIRE => "PEXPIRE"u8;
    public static ReadOnlySpan<byte> NX => "NX"u8;
    public static ReadOnlySpan<byte> XX => "XX"u8;
    public static ReadOnlySpan<byte> PX => "PX"u8;

    // Hashes and sorted sets
    public static ReadOnlySpan<byte> HSET => "HSET"u8;
    public static ReadOnlySpan<byte> HGETALL => "HGETALL"u8;
    public static ReadOnlySpan<byte> ZADD => "ZADD"u8;

    // Pub/sub
    public static ReadOnlySpan<byte> PUBLISH => "PUBLISH"u8;
    public static ReadOnlySpan<byte> SUBSCRIBE => "SUBSCRIBE"u8;
    public static ReadOnlySpan<byte> PSUBSCRIBE => "PSUBSCRIBE"u8;
    public static ReadOnlySpan<byte> UNSUBSCRIBE => "UNSUBSCRIBE"u8;
    public static ReadOnlySpan<byte> PUNSUBSCRIBE => "PUNSUBSCRIBE"u8;

    // Streams
    public static ReadOnlySpan<byte> XADD => "XADD"u8;
    public static ReadOnlySpan<byte> XACK => "XACK"u8;
    public static ReadOnlySpan<byte> XREADGROUP => "XREADGROUP"u8;
    public static ReadOnlySpan<byte> XAUTOCLAIM => "XAUTOCLAIM"u8;
    public static ReadOnlySpan<byte> XGROUP => "XGROUP"u8;
    public static ReadOnlySpan<byte> XTRIM => "XTRIM"u8;
    public static ReadOnlySpan<byte> CREATE => "CREATE"u8;
    public static ReadOnlySpan<byte> MKSTREAM => "MKSTREAM"u8;
    public static ReadOnlySpan<byte> GROUP => "GROUP"u8;
    public static ReadOnlySpan<byte> COUNT => "COUNT"u8;
    public static ReadOnlySpan<byte> BLOCK => "BLOCK"u8;
    public static ReadOnlySpan<byte> STREAMS => "STREAMS"u8;
    public static ReadOnlySpan<byte> MAXLEN => "MAXLEN"u8;
    public static ReadOnlySpan<byte> Tilde => "~"u8;
    public static ReadOnlySpan<byte> Star => "*"u8;
    public static ReadOnlySpan<byte> GreaterThan => ">"u8;
    public static ReadOnlySpan<byte> ZeroId => "0"u8;

    // Scripting
    public static ReadOnlySpan<byte> EVAL => "EVAL"u8;
    public static ReadOnlySpan<byte> EVALSHA => "EVALSHA"u8;
    public static ReadOnlySpan<byte> SCRIPT => "SCRIPT"u8;
    public static ReadOnlySpan<byte> LOAD => "LOAD"u8;

    // Reply words
    public static ReadOnlySpan<byte> OK => "OK"u8;
    public static ReadOnlySpan<byte> PONG => "PONG"u8;
    public static ReadOnlySpan<byte> message => "message"u8;
    public static ReadOnlySpan<byte> pmessage => "pmessage"u8;
    public static ReadOnlySpan<byte> subscribe => "subscribe"u8;
    public static ReadOnlySpan<byte> psubscribe => "psubscribe"u8;
    public static ReadOnlySpan<byte> unsubscribe => "unsubscribe"u8;
    public static ReadOnlySpan<byte> punsubscribe => "punsubscribe"u8;

    // Double spellings Redis understands (and prints) for the values .NET would spell differently.
    public static ReadOnlySpan<byte> PositiveInfinity => "inf"u8;
    public static ReadOnlySpan<byte> NegativeInfinity => "-inf"u8;
    public static ReadOnlySpan<byte> NaN => "nan"u8;

    // Framing
    public static ReadOnlySpan<byte> CrLf => "\r\n"u8;
#pragma warning restore CS1591
}
