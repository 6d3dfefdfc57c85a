using Ticker.Grains.Interfaces.Snapshots;

namespace Ticker.Client.Library;

/// <summary>One strike of an <see cref="OptionChain"/>: its call and put.</summary>
/// <param name="Strike">The strike price.</param>
/// <param name="Call">The call's latest snapshot, or <see langword="null"/> when it has not ticked yet (or is not listed).</param>
/// <param name="Put">The put's latest snapshot, or <see langword="null"/> when it has not ticked yet (or is not listed).</param>
/// <param name="CallToken">The call's instrument token; 0 when the strike has no call.</param>
/// <param name="PutToken">The put's instrument token; 0 when the strike has no put.</param>
/// <param name="CallSymbol">The call's tradingsymbol from the master (e.g. <c>NIFTY25JUN24000CE</c>); null when unknown to it.</param>
/// <param name="PutSymbol">The put's tradingsymbol from the master; null when unknown to it.</param>
public sealed record ChainRow(
    double Strike,
    InstrumentSnapshot? Call,
    InstrumentSnapshot? Put,
    uint CallToken = 0,
    uint PutToken = 0,
    string? CallSymbol = null,
    string? PutSymbol = null);
