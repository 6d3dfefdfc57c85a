using System.Runtime.CompilerServices;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Grains.Interfaces.Batching;

/// <summary>
/// The snapshots of one stream delivery, handed to the batcher in one call: raw <see cref="InstrumentSnapshot"/>s in
/// one or more parts (a partition consumer sends its delivery's buffer as one part), viewed in place, not copied.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class SnapshotSet
{
    /// <summary>Wraps packed snapshots, one part per producer.</summary>
    public SnapshotSet(ReadOnlyMemory<byte>[] parts)
    {
        Parts = parts;
        SnapshotSize = Unsafe.SizeOf<InstrumentSnapshot>();
    }

    /// <summary>The snapshots, packed, in parts.</summary>
    [Id(0)]
    public ReadOnlyMemory<byte>[] Parts { get; private set; }

    /// <summary>The size of one snapshot where this was written.</summary>
    [Id(1)]
    public int SnapshotSize { get; private set; }

    /// <summary>Whether every part holds whole snapshots of this build's layout.</summary>
    public bool IsWellFormed
    {
        get
        {
            foreach (var part in Parts)
            {
                if (!RawPayload.Fits<InstrumentSnapshot>(part, SnapshotSize))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>The snapshots of part <paramref name="index"/>, viewed in place.</summary>
    public ReadOnlySpan<InstrumentSnapshot> Part(int index) => RawPayload.View<InstrumentSnapshot>(Parts[index]);
}
