using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Instruments;

namespace Ticker.Client.Kite;

/// <summary>
/// "The first N instruments of the master", the same way everywhere (<c>feed --kite</c>, <c>record</c>,
/// <c>kite-mock</c>, an account's <see cref="KiteInstrumentFilter"/>): the underlyings first, then their options by
/// expiry (nearest first) and by distance from the money, then their futures, then — only when no underlying is
/// named — every other instrument in master order. On the synthetic master this is the order the synthetic market
/// ticks in.
/// </summary>
public static class KiteInstrumentSelection
{
    /// <summary>Picks up to <paramref name="count"/> instrument tokens from <paramref name="master"/>.</summary>
    /// <param name="master">The instrument master.</param>
    /// <param name="count">How many to take (0 or less: none).</param>
    /// <param name="underlyings">Underlyings by derivative name or tradingsymbol; null or empty: every underlying.</param>
    /// <exception cref="ArgumentException">An underlying name the master does not know.</exception>
    public static uint[] Select(InstrumentMaster master, int count, IReadOnlyCollection<string>? underlyings = null)
    {
        ArgumentNullException.ThrowIfNull(master);
        if (count <= 0)
        {
            return [];
        }

        var named = underlyings is { Count: > 0 };
        var chosen = new List<Instrument>();
        if (named)
        {
            foreach (var name in underlyings!)
            {
                if (!master.TryGetUnderlying(name, out var underlying))
                {
                    throw new ArgumentException($"The instrument master has no underlying '{name}'.", nameof(underlyings));
                }

                if (!chosen.Contains(underlying))
                {
                    chosen.Add(underlying);
                }
            }
        }
        else
        {
            chosen.AddRange(master.Underlyings);
        }

        var reference = new Dictionary<uint, double>(chosen.Count);
        foreach (var underlying in chosen)
        {
            reference[underlying.InstrumentToken] = underlying.LastPrice > 0 ? underlying.LastPrice : MedianStrike(master, underlying.InstrumentToken);
        }

        var options = new List<Instrument>();
        var futures = new List<Instrument>();
        foreach (var instrument in master.Instruments)
        {
            if (instrument.Expiry is null || !reference.ContainsKey(instrument.UnderlyingToken))
            {
                continue;
            }

            if (instrument.IsOption)
            {
                options.Add(instrument);
            }
            else if (instrument.Kind == InstrumentKind.Future)
            {
                futures.Add(instrument);
            }
        }

        options.Sort((a, b) =>
        {
            var byExpiry = a.Expiry!.Value.CompareTo(b.Expiry!.Value);
            if (byExpiry != 0)
            {
                return byExpiry;
            }

            var byMoney = Math.Abs(a.Strike - reference[a.UnderlyingToken]).CompareTo(Math.Abs(b.Strike - reference[b.UnderlyingToken]));
            return byMoney != 0 ? byMoney : a.InstrumentToken.CompareTo(b.InstrumentToken);
        });
        futures.Sort((a, b) =>
        {
            var byExpiry = a.Expiry!.Value.CompareTo(b.Expiry!.Value);
            return byExpiry != 0 ? byExpiry : a.InstrumentToken.CompareTo(b.InstrumentToken);
        });

        var tokens = new List<uint>(Math.Min(count, master.Count));
        var taken = new HashSet<uint>();
        Take(chosen);
        Take(options);
        Take(futures);
        if (!named)
        {
            Take(master.Instruments);
        }

        return [.. tokens];

        void Take(IEnumerable<Instrument> instruments)
        {
            foreach (var instrument in instruments)
            {
                if (tokens.Count == count)
                {
                    return;
                }

                if (taken.Add(instrument.InstrumentToken))
                {
                    tokens.Add(instrument.InstrumentToken);
                }
            }
        }
    }

    private static double MedianStrike(InstrumentMaster master, uint underlyingToken)
    {
        var expiries = master.Expiries(underlyingToken);
        if (expiries.Count == 0)
        {
            return 0;
        }

        var chain = master.Options(underlyingToken, expiries[0]);
        return chain.Count == 0 ? 0 : chain[chain.Count / 2].Strike;
    }
}
