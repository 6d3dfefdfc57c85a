using Orleans.Runtime;
using System.Runtime.CompilerServices;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Grains.Interfaces.Market;

/// <summary>The ticks of one instrument from one stream delivery, in stream order, as raw <see cref="RoutedTick"/>s.</summary>
[GenerateSerializer, Immutable]
public sealed class InstrumentTicks
{
    /// <summary>Wraps packed <see cref="RoutedTick"/>s (see <see cref="RawPayload.Pack{T}"/>) sent by the consumer on <paramref name="consumer"/>.</summary>
    public InstrumentTicks(ReadOnlyMemory<byte> payload, SiloAddress? consumer = null)
    {
        Payload = payload;
        TickSize = Unsafe.SizeOf<RoutedTick>();
        Consumer = consumer;
    }

    /// <summary>The routed ticks, packed.</summary>
    [Id(0)]
    public ReadOnlyMemory<byte> Payload { get; private set; }

    /// <summary>The size of one routed tick where this was written.</summary>
    [Id(1)]
    public int TickSize { get; private set; }

    /// <summary>
    /// The silo of the partition consumer that sent the ticks (null: unknown). An instrument grain elsewhere moves to
    /// it, so after queues are rebalanced every call of a partition stays on one silo again.
    /// </summary>
    [Id(2)]
    public SiloAddress? Consumer { get; private set; }

    /// <summary>Whether the payload holds whole routed ticks of this build's layout.</summary>
    public bool IsWellFormed => RawPayload.Fits<RoutedTick>(Payload, TickSize);

    /// <summary>The routed ticks, viewed in place.</summary>
    public ReadOnlySpan<RoutedTick> Ticks => RawPayload.View<RoutedTick>(Payload);
}
