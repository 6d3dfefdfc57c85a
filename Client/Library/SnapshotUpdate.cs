using Ticker.Grains.Interfaces.Snapshots;

namespace Ticker.Client.Library;

/// <summary>
/// One instrument's update from a <see cref="TickerClient.SubscribeAsync(string, CancellationToken)"/> subscription.
/// </summary>
/// <param name="Underlying">The underlying name whose channel carried it (e.g. <c>NIFTY</c>).</param>
/// <param name="TradingSymbol">The instrument's tradingsymbol from the master; null when the master does not know it.</param>
/// <param name="Snapshot">
/// The published fields (token, kind, last price, volume, OI, ticks, exchange timestamp, received-at and, for
/// options, IV status, IV and Greeks) plus, from the master, strike, expiry and underlying token. Bars, depth,
/// underlying price and stream position are not published per update and stay zero: read the full state with
/// <see cref="TickerClient.GetInstrumentAsync"/>.
/// </param>
public readonly record struct SnapshotUpdate(string Underlying, string? TradingSymbol, InstrumentSnapshot Snapshot)
{
    /// <summary>The instrument token (shortcut for <c>Snapshot.InstrumentToken</c>).</summary>
    public uint InstrumentToken => Snapshot.InstrumentToken;
}
