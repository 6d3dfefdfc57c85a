using Ticker.Grains.Interfaces.Snapshots;

namespace Ticker.Grains.Interfaces.Market;

/// <summary>
/// One instrument (key = its Kite instrument token): last tick and depth, OHLCV bars of an underlying, IV (the warm
/// start of the next solve) and Greeks of an option. Activated by its first tick, restored from its last snapshot.
/// </summary>
public interface IInstrumentGrain : IGrainWithIntegerKey
{
    /// <summary>Applies one delivery's ticks of this instrument in order, skipping redeliveries; returns the snapshots to publish.</summary>
    Task<ApplyResult> ApplyAsync(InstrumentTicks ticks);

    /// <summary>The instrument's state now, or null before its first tick.</summary>
    Task<InstrumentSnapshot?> GetSnapshotAsync();
}
