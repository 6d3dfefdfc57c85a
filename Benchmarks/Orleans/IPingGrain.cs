namespace Ticker.Benchmarks.Orleans;

/// <summary>A grain that answers at once: the cost of one local grain call.</summary>
public interface IPingGrain : IGrainWithIntegerKey
{
    /// <summary>Returns <paramref name="value"/>.</summary>
    Task<int> PingAsync(int value);
}
