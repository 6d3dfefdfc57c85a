using System.Numerics;
using System.Runtime.CompilerServices;

namespace Ticker.Silo.Metrics;

/// <summary>
/// Per-thread striping of aggregation cells: each thread adds into the cell of its stripe, so shard threads that
/// record into the same series rarely write the same cache line; readers sum the stripes.
/// </summary>
internal static class Stripes
{
    /// <summary>The largest number of stripes, whatever the processor count.</summary>
    public const int MaxCount = 16;

    /// <summary>Longs per cache line (64 bytes): the distance between two stripes' cells.</summary>
    public const int CellStride = 8;

    /// <summary>The number of stripes: the processor count rounded up to a power of two, at most <see cref="MaxCount"/>.</summary>
    public static readonly int Count = (int)Math.Min(MaxCount, BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, Environment.ProcessorCount)));

    private static readonly int Mask = Count - 1;

    /// <summary>The calling thread's stripe.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public static int Current
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Environment.CurrentManagedThreadId & Mask;
    }

    /// <summary>Atomically adds <paramref name="value"/> to a double stored as its bits in <paramref name="cell"/>.</summary>
    /// <remarks>Allocates nothing; a compare-exchange loop that rarely loops because each thread has its own stripe.</remarks>
    public static void AddDouble(ref long cell, double value)
    {
        var old = Volatile.Read(ref cell);
        while (true)
        {
            var next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(old) + value);
            var seen = Interlocked.CompareExchange(ref cell, next, old);
            if (seen == old)
            {
                return;
            }

            old = seen;
        }
    }
}
