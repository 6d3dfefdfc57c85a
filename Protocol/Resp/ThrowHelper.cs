using System.Diagnostics.CodeAnalysis;

namespace Ticker.Protocol.Resp;

/// <summary>The rare throw paths of the RESP client, kept out of line so the hot methods stay small.</summary>
internal static class ThrowHelper
{
    /// <summary>Throws a <see cref="RedisProtocolException"/>.</summary>
    [DoesNotReturn]
    public static void ThrowProtocol(string message) => throw new RedisProtocolException(message);

    /// <summary>Throws a <see cref="RedisProtocolException"/> naming an unexpected type byte.</summary>
    [DoesNotReturn]
    public static void ThrowUnknownType(byte value) =>
        throw new RedisProtocolException($"Unknown RESP type byte 0x{value:X2}.");

    /// <summary>Throws a <see cref="RedisProtocolException"/> for a reply of the wrong type.</summary>
    [DoesNotReturn]
    public static void ThrowUnexpectedType(RespType expected, RespType actual) =>
        throw new RedisProtocolException($"Expected a {expected} reply but got {actual}.");

    /// <summary>Throws an <see cref="InvalidOperationException"/> for a command written with the wrong argument count.</summary>
    [DoesNotReturn]
    public static void ThrowArgumentCount(string message) => throw new InvalidOperationException(message);

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/>.</summary>
    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string paramName, string message) =>
        throw new ArgumentOutOfRangeException(paramName, message);

    /// <summary>Throws an <see cref="InvalidOperationException"/>.</summary>
    [DoesNotReturn]
    public static void ThrowInvalidOperation(string message) => throw new InvalidOperationException(message);
}
