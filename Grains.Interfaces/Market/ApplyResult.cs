using System.Runtime.CompilerServices;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Grains.Interfaces.Market;

/// <summary>What an instrument grain did with one delivery: the snapshots to publish and what it counted.</summary>
[GenerateSerializer, Immutable]
public sealed class ApplyResult
{
    /// <summary>The snapshots produced (one per applied tick; with conflation only the last), packed.</summary>
    [Id(0)]
    public ReadOnlyMemory<byte> Snapshots { get; init; }

    /// <summary>The size of one snapshot where this was written.</summary>
    [Id(1)]
    public int SnapshotSize { get; init; } = Unsafe.SizeOf<InstrumentSnapshot>();

    /// <summary>Ticks applied.</summary>
    [Id(2)]
    public int Applied { get; init; }

    /// <summary>Redelivered ticks skipped (at or before the grain's stream position).</summary>
    [Id(3)]
    public int Duplicates { get; init; }

    /// <summary>Option ticks whose IV solve succeeded.</summary>
    [Id(4)]
    public int GreeksComputed { get; init; }

    /// <summary>Option ticks whose IV is undefined (counted, never a NaN).</summary>
    [Id(5)]
    public int IvFailures { get; init; }

    /// <summary>Ticks refused: the grain's token is not in the instrument master, or the payload was malformed.</summary>
    [Id(6)]
    public int Rejected { get; init; }

    /// <summary>The instrument's kind (underlying, future, call, put).</summary>
    [Id(7)]
    public InstrumentKind Kind { get; init; }

    /// <summary>Whether the snapshots are whole snapshots of this build's layout.</summary>
    public bool IsWellFormed => RawPayload.Fits<InstrumentSnapshot>(Snapshots, SnapshotSize);

    /// <summary>The snapshots, viewed in place.</summary>
    public ReadOnlySpan<InstrumentSnapshot> SnapshotSpan => RawPayload.View<InstrumentSnapshot>(Snapshots);
}
