using System.Diagnostics.CodeAnalysis;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Protocol.Kite;

/// <summary>The rare throw paths of the Kite codec, kept out of the hot methods.</summary>
internal static class KiteThrowHelper
{
    /// <summary>Throws for a tick whose mode is not a defined <see cref="TickMode"/>.</summary>
    [DoesNotReturn]
    public static void ThrowUndefinedMode(TickMode mode) =>
        throw new ArgumentException($"Cannot encode a tick in mode {(byte)mode}: set Tick.Mode to Ltp, Quote or Full.");

    /// <summary>Throws when the destination cannot hold the encoded message.</summary>
    [DoesNotReturn]
    public static void ThrowDestinationTooSmall() =>
        throw new ArgumentException("The destination is shorter than KiteEncoder.MessageLength of the ticks.", "destination");

    /// <summary>Throws when more ticks are given than one message can announce.</summary>
    [DoesNotReturn]
    public static void ThrowTooManyTicks(int count) =>
        throw new ArgumentException($"{count} ticks do not fit one message (at most {KitePacketLengths.MaxPacketsPerMessage}).", "ticks");
}
