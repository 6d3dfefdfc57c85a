using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Instruments;

namespace Ticker.Silo.Http;

/// <summary>Resolves an option-chain request (underlying symbol or token, optional expiry) against the master.</summary>
public static class ChainQuery
{
    /// <summary>
    /// Finds the underlying and the expiry: the one asked for, or the nearest on or after <paramref name="today"/>.
    /// </summary>
    /// <returns>Null on success, else the error to show.</returns>
    public static string? TryResolve(
        InstrumentMaster master, string underlying, string? expiryText, DateOnly today, out Instrument? index, out DateOnly expiry)
    {
        expiry = default;
        index = null;
        if (!master.TryGetUnderlying(underlying, out index)
            && !(uint.TryParse(underlying, out var token) && master.TryGet(token, out index)))
        {
            return $"unknown underlying '{underlying}'";
        }

        var expiries = master.Expiries(index.InstrumentToken);
        if (expiries.Count == 0)
        {
            return $"no options on '{index.TradingSymbol}'";
        }

        if (!string.IsNullOrEmpty(expiryText))
        {
            if (!DateOnly.TryParseExact(expiryText, "yyyy-MM-dd", out expiry))
            {
                return $"expiry '{expiryText}' is not a date (YYYY-MM-DD)";
            }

            var found = false;
            foreach (var e in expiries)
            {
                found |= e == expiry;
            }

            return found ? null : $"no options on '{index.TradingSymbol}' expire on {expiryText}";
        }

        expiry = expiries[^1];
        foreach (var e in expiries)
        {
            if (e >= today)
            {
                expiry = e;
                break;
            }
        }

        return null;
    }
}
