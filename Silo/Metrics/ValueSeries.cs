namespace Ticker.Silo.Metrics;

/// <summary>
/// One label set of a gauge that holds the last value it was given: the last measurement of a synchronous
/// <c>Gauge&lt;T&gt;</c>, or the value an observable instrument reported at the latest collection.
/// </summary>
internal sealed class ValueSeries
{
    private long _bits;

    /// <summary>The collection that last reported this series (observable instruments only).</summary>
    public int Collection;

    /// <summary>Stores an integer value.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void Set(long value) => Volatile.Write(ref _bits, value);

    /// <summary>Stores a floating-point value.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void Set(double value) => Volatile.Write(ref _bits, BitConverter.DoubleToInt64Bits(value));

    /// <summary>The stored integer value.</summary>
    public long ReadLong() => Volatile.Read(ref _bits);

    /// <summary>The stored floating-point value.</summary>
    public double ReadDouble() => BitConverter.Int64BitsToDouble(Volatile.Read(ref _bits));
}
