using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Ticker.Grains.Instruments;

/// <summary>
/// Maps the <c>name</c> column of an option or future (e.g. <c>NIFTY</c>) to the tradingsymbol of the index it is
/// written on (e.g. <c>NIFTY 50</c>). Kite's instruments CSV does not carry that link, so the master needs it to give
/// derivatives their <see cref="Ticker.Grains.Interfaces.Instruments.Instrument.UnderlyingToken"/>.
/// </summary>
/// <remarks>Names are matched case-insensitively.</remarks>
public sealed class UnderlyingMap
{
    private readonly FrozenDictionary<string, string> _nameToIndexSymbol;

    /// <summary>Creates a map from derivative name to index tradingsymbol.</summary>
    /// <param name="nameToIndexSymbol">For example <c>NIFTY</c> → <c>NIFTY 50</c>.</param>
    /// <exception cref="ArgumentException">A name or symbol is empty, or two names differ only in case.</exception>
    public UnderlyingMap(IReadOnlyDictionary<string, string> nameToIndexSymbol)
    {
        ArgumentNullException.ThrowIfNull(nameToIndexSymbol);
        var map = new Dictionary<string, string>(nameToIndexSymbol.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, symbol) in nameToIndexSymbol)
        {
            if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(symbol))
            {
                throw new ArgumentException($"Underlying map entries need a name and an index symbol (got '{name}' → '{symbol}').", nameof(nameToIndexSymbol));
            }

            if (!map.TryAdd(name.Trim(), symbol.Trim()))
            {
                throw new ArgumentException($"Underlying map names '{name}' twice (names are case-insensitive).", nameof(nameToIndexSymbol));
            }
        }

        _nameToIndexSymbol = map.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The NSE index derivatives: NIFTY → NIFTY 50, BANKNIFTY → NIFTY BANK, FINNIFTY → NIFTY FIN SERVICE,
    /// MIDCPNIFTY → NIFTY MID SELECT.
    /// </summary>
    public static UnderlyingMap Default { get; } = new(new Dictionary<string, string>
    {
        ["NIFTY"] = "NIFTY 50",
        ["BANKNIFTY"] = "NIFTY BANK",
        ["FINNIFTY"] = "NIFTY FIN SERVICE",
        ["MIDCPNIFTY"] = "NIFTY MID SELECT",
    });

    /// <summary>The entries, derivative name → index tradingsymbol.</summary>
    public IReadOnlyDictionary<string, string> Entries => _nameToIndexSymbol;

    /// <summary>Looks up the index tradingsymbol for a derivative name.</summary>
    /// <param name="name">The derivative's <c>name</c> column, e.g. <c>NIFTY</c>.</param>
    /// <param name="indexSymbol">The index tradingsymbol, e.g. <c>NIFTY 50</c>.</param>
    /// <returns>True when the name is mapped.</returns>
    public bool TryGetIndexSymbol(string name, [NotNullWhen(true)] out string? indexSymbol) =>
        _nameToIndexSymbol.TryGetValue(name, out indexSymbol);
}
