using System.Globalization;

namespace Ticker.Client.Kite;

/// <summary>
/// Picks an account's instruments from the master instead of listing tokens: the named underlyings, then their
/// options nearest expiry and nearest the money, then their futures (see <see cref="KiteInstrumentSelection"/>).
/// </summary>
public sealed class KiteInstrumentFilter
{
    /// <summary>Underlyings by derivative name or index tradingsymbol (<c>NIFTY</c>, <c>NIFTY BANK</c>); empty: every underlying.</summary>
    public List<string> Underlyings { get; set; } = [];

    /// <summary>How many instruments to take; 1 to 9,000 (3 connections × 3,000).</summary>
    public int MaxCount { get; set; } = KiteOptions.MaxInstrumentsPerConnection;

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture, $"Underlyings=[{string.Join(", ", Underlyings)}], MaxCount={MaxCount}");
}
