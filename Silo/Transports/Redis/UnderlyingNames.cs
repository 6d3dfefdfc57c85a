using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Instruments;

namespace Ticker.Silo.Transports.Redis;

/// <summary>
/// The name users know an underlying by (the options' <c>name</c>, e.g. NIFTY for the NIFTY 50 index): it names the
/// chain keys and update channels of the underlying, its options and its futures.
/// </summary>
public sealed class UnderlyingNames
{
    private readonly Dictionary<uint, string> _byUnderlying;

    private UnderlyingNames(Dictionary<uint, string> byUnderlying) => _byUnderlying = byUnderlying;

    /// <summary>Builds the names from <paramref name="master"/>'s options.</summary>
    public static UnderlyingNames Build(InstrumentMaster master)
    {
        var names = new Dictionary<uint, string>();
        foreach (var instrument in master.Instruments)
        {
            if (instrument.IsOption && instrument.UnderlyingToken != 0 && !string.IsNullOrEmpty(instrument.Name))
            {
                names.TryAdd(instrument.UnderlyingToken, instrument.Name);
            }
        }

        return new UnderlyingNames(names);
    }

    /// <summary>The underlying name <paramref name="instrument"/> belongs to (its own trading symbol when none).</summary>
    public string NameOf(Instrument instrument) =>
        _byUnderlying.TryGetValue(instrument.UnderlyingToken, out var name) ? name
        : _byUnderlying.TryGetValue(instrument.InstrumentToken, out name) ? name
        : instrument.TradingSymbol;
}
