namespace Ticker.Silo.Metrics;

/// <summary>One label set of a counter or up-down counter: a striped running sum.</summary>
internal sealed class SumSeries
{
    private readonly long[] _cells = new long[Stripes.Count * Stripes.CellStride];

    /// <summary>Adds an integer measurement.</summary>
    /// <remarks>Allocates nothing; one interlocked add on the calling thread's stripe.</remarks>
    public void Add(long value) => Interlocked.Add(ref _cells[Stripes.Current * Stripes.CellStride], value);

    /// <summary>Adds a floating-point measurement (the cells then hold double bits).</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void Add(double value) => Stripes.AddDouble(ref _cells[Stripes.Current * Stripes.CellStride], value);

    /// <summary>The sum of an integer series.</summary>
    public long ReadLong()
    {
        long sum = 0;
        for (var i = 0; i < _cells.Length; i += Stripes.CellStride)
        {
            sum += Volatile.Read(ref _cells[i]);
        }

        return sum;
    }

    /// <summary>The sum of a floating-point series.</summary>
    public double ReadDouble()
    {
        double sum = 0;
        for (var i = 0; i < _cells.Length; i += Stripes.CellStride)
        {
            sum += BitConverter.Int64BitsToDouble(Volatile.Read(ref _cells[i]));
        }

        return sum;
    }
}
