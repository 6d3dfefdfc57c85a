namespace Ticker.Benchmarks.Orleans;

/// <summary>The consumer of one benchmark stream.</summary>
public interface ICountingGrain : IGrainWithIntegerKey
{
}
