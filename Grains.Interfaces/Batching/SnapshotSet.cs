using System.Runtime.CompilerServices;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Grains.Interfaces.Batching;

/// <summary>The snapshots of one stream delivery, handed to the batcher in one call, as raw <see cref="InstrumentSnapshot"/>s.</summary>
[GenerateSerializer, Immutable]
public sealed class SnapshotSet
{
    /// <summary>Wraps packed snapshots.</summary>
    public SnapshotSet(ReadOnlyMemory<byte> payload)
    {
        Payload = payload;
        SnapshotSize = Unsafe.SizeOf<InstrumentSnapshot>();
    }

    /// <summary>The snapshots, packed.</summary>
    [Id(0)]
    public ReadOnlyMemory<byte> Payload { get; private set; }

    /// <summary>The size of one snapshot where this was written.</summary>
    [Id(1)]
    public int SnapshotSize { get; private set; }

    /// <summary>Whether the payload holds whole snapshots of this build's layout.</summary>
    public bool IsWellFormed => RawPayload.Fits<InstrumentSnapshot>(Payload, SnapshotSize);

    /// <summary>The snapshots, viewed in place.</summary>
    public ReadOnlySpan<InstrumentSnapshot> Snapshots => RawPayload.View<InstrumentSnapshot>(Payload);
}
