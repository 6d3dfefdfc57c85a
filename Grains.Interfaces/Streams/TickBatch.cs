using System.Runtime.CompilerServices;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Grains.Interfaces.Streams;

/// <summary>
/// One event of the tick stream: the ticks of one partition from one ingested frame (hundreds, never one), packed as a
/// <see cref="TickPayload"/> (each tick only its non-zero words). Immutable once published, so Orleans passes it to a
/// local consumer without a copy.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class TickBatch
{
    /// <summary>Creates a batch of <paramref name="ticks"/>, packed.</summary>
    public TickBatch(ReadOnlySpan<Tick> ticks)
    {
        Payload = TickPayload.Encode(ticks);
        TickSize = Unsafe.SizeOf<Tick>();
    }

    /// <summary>
    /// Wraps <paramref name="payload"/>, a <see cref="TickPayload"/> of this build's tick layout, without copying it: the
    /// caller hands the bytes over and never changes them again (a stream entry's payload, read from Redis into its own
    /// array).
    /// </summary>
    public static TickBatch Wrap(ReadOnlyMemory<byte> payload) => new(payload, Unsafe.SizeOf<Tick>());

    private TickBatch(ReadOnlyMemory<byte> payload, int tickSize)
    {
        Payload = payload;
        TickSize = tickSize;
    }

    /// <summary>The ticks, packed.</summary>
    [Id(0)]
    public ReadOnlyMemory<byte> Payload { get; private set; }

    /// <summary>The size of one <see cref="Tick"/> where the batch was written (a guard against a peer on another build).</summary>
    [Id(1)]
    public int TickSize { get; private set; }

    /// <summary>Whether the payload is whole and of this build's tick layout; if so, how many ticks it holds.</summary>
    public bool TryCount(out int count)
    {
        count = 0;
        return TickSize == Unsafe.SizeOf<Tick>() && TickPayload.TryCount(Payload.Span, out count);
    }

    /// <summary>Unpacks the ticks into <paramref name="destination"/>, which holds at least the count <see cref="TryCount"/> gave.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void CopyTo(Span<Tick> destination) => TickPayload.Decode(Payload.Span, destination);

    /// <summary>The ticks, unpacked into a new array (tests and tools; the consumer unpacks into its own buffer).</summary>
    public Tick[] ToArray()
    {
        if (!TryCount(out var count))
        {
            throw new InvalidOperationException("The batch's payload is not a whole payload of this build's tick layout.");
        }

        var ticks = new Tick[count];
        CopyTo(ticks);
        return ticks;
    }
}
