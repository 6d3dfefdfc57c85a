using Ticker.Grains.Interfaces.Snapshots;

namespace Ticker.Grains.Interfaces.Market;

/// <summary>
/// One instrument's live state, read by its Kite instrument token (key): last tick and depth, OHLCV bars of an
/// underlying, IV and Greeks of an option. The state itself lives in the consumer of the instrument's stream
/// partition (<see cref="ITickPartitionGrain"/>), which applies its ticks; this grain finds it there.
/// </summary>
public interface IInstrumentGrain : IGrainWithIntegerKey
{
    /// <summary>The instrument's state now, or null before its first tick.</summary>
    Task<InstrumentSnapshot?> GetSnapshotAsync();
}
