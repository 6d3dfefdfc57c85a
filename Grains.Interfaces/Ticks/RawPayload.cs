using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Ticker.Grains.Interfaces.Ticks;

/// <summary>
/// Packs arrays of reference-free structs (ticks, snapshots) into bytes and views them back without copying. Orleans
/// carries the bytes as one length-prefixed field: a memory copy instead of a field-by-field encoding of every tick.
/// Both ends run the same build, so the layout is the same; the element size travels with the payload and a payload
/// of another size is refused.
/// </summary>
public static class RawPayload
{
    /// <summary>Copies <paramref name="items"/> into a new byte array.</summary>
    /// <remarks>Allocates the array, nothing else.</remarks>
    public static byte[] Pack<T>(ReadOnlySpan<T> items)
        where T : unmanaged => MemoryMarshal.AsBytes(items).ToArray();

    /// <summary>The elements of <paramref name="payload"/>, viewed in place.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public static ReadOnlySpan<T> View<T>(ReadOnlyMemory<byte> payload)
        where T : unmanaged => MemoryMarshal.Cast<byte, T>(payload.Span);

    /// <summary>Whether <paramref name="payload"/> holds whole elements of <typeparamref name="T"/> as written with <paramref name="elementSize"/>.</summary>
    public static bool Fits<T>(ReadOnlyMemory<byte> payload, int elementSize)
        where T : unmanaged => elementSize == Unsafe.SizeOf<T>() && payload.Length % elementSize == 0;
}
