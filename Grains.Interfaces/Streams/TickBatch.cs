using System.Runtime.CompilerServices;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Grains.Interfaces.Streams;

/// <summary>
/// One event of the tick stream: the ticks of one partition from one ingested frame (hundreds, never one), as the
/// raw <see cref="Tick"/> layout. Immutable once published, so Orleans passes it to a local consumer without a copy.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class TickBatch
{
    /// <summary>Creates a batch of a copy of <paramref name="ticks"/>.</summary>
    public TickBatch(ReadOnlySpan<Tick> ticks)
    {
        Payload = RawPayload.Pack(ticks);
        TickSize = Unsafe.SizeOf<Tick>();
    }

    /// <summary>
    /// Wraps <paramref name="payload"/>, ticks in this build's raw layout, without copying it: the caller hands the bytes
    /// over and never changes them again (a stream entry's payload, read from Redis into its own array).
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

    /// <summary>The size of one tick where the batch was written (a guard against a peer on another build).</summary>
    [Id(1)]
    public int TickSize { get; private set; }

    /// <summary>Whether the payload holds whole ticks of this build's layout.</summary>
    public bool IsWellFormed => RawPayload.Fits<Tick>(Payload, TickSize);

    /// <summary>The ticks, viewed in place. Check <see cref="IsWellFormed"/> first.</summary>
    public ReadOnlySpan<Tick> Ticks => RawPayload.View<Tick>(Payload);
}
