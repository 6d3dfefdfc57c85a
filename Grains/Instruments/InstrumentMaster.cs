using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Ticker.Grains.Interfaces.Instruments;

namespace Ticker.Grains.Instruments;

/// <summary>
/// The instrument master: every instrument the ticker knows, each with a dense <see cref="Instrument.Id"/>, its
/// <see cref="Instrument.Kind"/> and, for derivatives, the token of its underlying index. Immutable once created,
/// so it is shared freely between threads.
/// </summary>
public sealed class InstrumentMaster
{
    private readonly Instrument[] _instruments;
    private readonly FrozenDictionary<uint, int> _idByToken;
    private readonly Instrument[] _underlyings;
    private readonly FrozenDictionary<string, Instrument> _underlyingByKey;
    private readonly FrozenDictionary<uint, Chain> _chains;
    private readonly int[] _underlyingIdOf;

    private InstrumentMaster(
        Instrument[] instruments,
        FrozenDictionary<uint, int> idByToken,
        Instrument[] underlyings,
        FrozenDictionary<string, Instrument> underlyingByKey,
        FrozenDictionary<uint, Chain> chains)
    {
        _instruments = instruments;
        _idByToken = idByToken;
        _underlyings = underlyings;
        _underlyingByKey = underlyingByKey;
        _chains = chains;
        _underlyingIdOf = new int[instruments.Length];
        for (var id = 0; id < instruments.Length; id++)
        {
            var token = instruments[id].UnderlyingToken;
            _underlyingIdOf[id] = token != 0 && idByToken.TryGetValue(token, out var u) ? u : -1;
        }
    }

    /// <summary>The number of instruments.</summary>
    public int Count => _instruments.Length;

    /// <summary>Every instrument in master order; the list index is the instrument's <see cref="Instrument.Id"/>.</summary>
    public IReadOnlyList<Instrument> Instruments => _instruments;

    /// <summary>The instrument with a dense id.</summary>
    /// <param name="id">0 to <see cref="Count"/> − 1.</param>
    public Instrument this[int id] => _instruments[id];

    /// <summary>The underlyings that at least one option or future maps to, in master order.</summary>
    public IReadOnlyList<Instrument> Underlyings => _underlyings;

    /// <summary>
    /// Builds a master from rows in the order given: derives <see cref="Instrument.Kind"/> from the instrument type
    /// (CE → call, PE → put, FUT → future, anything else → underlying), gives options and futures the token of
    /// their underlying through <paramref name="map"/> (0 when the name is not mapped or the index row is missing),
    /// and numbers the rows 0..n−1. Whatever those three properties held in the input is replaced.
    /// </summary>
    /// <param name="rows">The rows; tokens must be non-zero and unique.</param>
    /// <param name="map">Derivative name → index tradingsymbol.</param>
    /// <exception cref="ArgumentException">A token is zero or appears twice.</exception>
    public static InstrumentMaster Create(IEnumerable<Instrument> rows, UnderlyingMap map)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(map);

        var input = rows as IReadOnlyCollection<Instrument> ?? [.. rows];
        var raw = new Instrument[input.Count];
        var idByToken = new Dictionary<uint, int>(input.Count);
        var indexTokenBySymbol = new Dictionary<string, uint>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        foreach (var row in input)
        {
            ArgumentNullException.ThrowIfNull(row, nameof(rows));
            if (row.InstrumentToken == 0)
            {
                throw new ArgumentException($"Instrument '{row.TradingSymbol}' (row {i}) has token 0.", nameof(rows));
            }

            if (!idByToken.TryAdd(row.InstrumentToken, i))
            {
                throw new ArgumentException(
                    $"Instrument token {row.InstrumentToken} appears twice (rows {idByToken[row.InstrumentToken]} and {i}).", nameof(rows));
            }

            var kind = KindOf(row.InstrumentType);
            raw[i] = row.Kind == kind ? row : row with { Kind = kind };

            // An index is found by its tradingsymbol; an INDICES row wins over any other underlying of that symbol.
            if (kind == InstrumentKind.Underlying
                && (!indexTokenBySymbol.ContainsKey(row.TradingSymbol) || IsIndexSegment(row.Segment)))
            {
                indexTokenBySymbol[row.TradingSymbol] = row.InstrumentToken;
            }

            i++;
        }

        var instruments = new Instrument[raw.Length];
        var referenced = new HashSet<uint>();
        for (var id = 0; id < raw.Length; id++)
        {
            var row = raw[id];
            uint underlying = 0;
            if (row.Kind != InstrumentKind.Underlying
                && map.TryGetIndexSymbol(row.Name, out var indexSymbol)
                && indexTokenBySymbol.TryGetValue(indexSymbol, out var indexToken))
            {
                underlying = indexToken;
                referenced.Add(indexToken);
            }

            instruments[id] = row.UnderlyingToken == underlying && row.Id == id ? row : row with { UnderlyingToken = underlying, Id = id };
        }

        var underlyings = new List<Instrument>(referenced.Count);
        foreach (var instrument in instruments)
        {
            if (instrument.Kind == InstrumentKind.Underlying && referenced.Contains(instrument.InstrumentToken))
            {
                underlyings.Add(instrument);
            }
        }

        var underlyingByKey = new Dictionary<string, Instrument>(StringComparer.OrdinalIgnoreCase);
        foreach (var underlying in underlyings)
        {
            underlyingByKey.TryAdd(underlying.TradingSymbol, underlying);
        }

        foreach (var (name, indexSymbol) in map.Entries)
        {
            if (indexTokenBySymbol.TryGetValue(indexSymbol, out var token))
            {
                var index = instruments[idByToken[token]];
                underlyingByKey.TryAdd(indexSymbol, index);
                underlyingByKey.TryAdd(name, index);
            }
        }

        foreach (var underlying in underlyings)
        {
            if (underlying.Name.Length > 0)
            {
                underlyingByKey.TryAdd(underlying.Name, underlying);
            }
        }

        return new InstrumentMaster(
            instruments,
            idByToken.ToFrozenDictionary(),
            [.. underlyings],
            underlyingByKey.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase),
            BuildChains(instruments));
    }

    /// <summary>
    /// The master every command uses: the Kite CSV at <paramref name="path"/> when one is given, otherwise the
    /// synthetic master of today's trading day (so separate processes agree without configuration).
    /// </summary>
    /// <param name="path">A Kite instruments CSV, or null/empty for the synthetic master.</param>
    /// <param name="time">The clock that decides today's trading day.</param>
    /// <param name="map">Derivative name → index tradingsymbol; <see cref="UnderlyingMap.Default"/> when null.</param>
    public static InstrumentMaster LoadOrSynthetic(string? path, TimeProvider time, UnderlyingMap? map = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        return string.IsNullOrEmpty(path)
            ? SyntheticMaster.Create(SyntheticMaster.TodayInIndia(time))
            : InstrumentCsv.LoadFile(path, map);
    }

    /// <summary>Finds the dense id of a token.</summary>
    /// <param name="token">Kite instrument token.</param>
    /// <param name="id">The instrument's <see cref="Instrument.Id"/> when found.</param>
    /// <returns>True when the master knows the token.</returns>
    /// <remarks>Hot path: allocates nothing.</remarks>
    public bool TryGetId(uint token, out int id) => _idByToken.TryGetValue(token, out id);

    /// <summary>The master id of the underlying of the instrument with master id <paramref name="id"/>, or −1.</summary>
    /// <remarks>Allocates nothing: precomputed (options price off it on every tick).</remarks>
    public int UnderlyingIdOf(int id) => _underlyingIdOf[id];

    /// <summary>Finds an instrument by token.</summary>
    /// <param name="token">Kite instrument token.</param>
    /// <param name="instrument">The instrument when found.</param>
    /// <returns>True when the master knows the token.</returns>
    /// <remarks>Allocates nothing.</remarks>
    public bool TryGet(uint token, [NotNullWhen(true)] out Instrument? instrument)
    {
        if (_idByToken.TryGetValue(token, out var id))
        {
            instrument = _instruments[id];
            return true;
        }

        instrument = null;
        return false;
    }

    /// <summary>
    /// Finds an underlying by a derivative name (<c>NIFTY</c>) or by its tradingsymbol (<c>NIFTY 50</c>),
    /// case-insensitively.
    /// </summary>
    /// <param name="symbolOrName">A name from the underlying map or an underlying's tradingsymbol.</param>
    /// <param name="underlying">The underlying row when found.</param>
    /// <returns>True when found.</returns>
    public bool TryGetUnderlying(string symbolOrName, [NotNullWhen(true)] out Instrument? underlying)
    {
        ArgumentNullException.ThrowIfNull(symbolOrName);
        return _underlyingByKey.TryGetValue(symbolOrName.Trim(), out underlying);
    }

    /// <summary>The expiries of the options on an underlying, ascending; empty when it has none.</summary>
    /// <param name="underlyingToken">The underlying's token.</param>
    public IReadOnlyList<DateOnly> Expiries(uint underlyingToken) =>
        _chains.TryGetValue(underlyingToken, out var chain) ? chain.Expiries : [];

    /// <summary>
    /// The options on an underlying for one expiry, sorted by strike with the call before the put at each strike;
    /// empty when there are none.
    /// </summary>
    /// <param name="underlyingToken">The underlying's token.</param>
    /// <param name="expiry">The expiry date.</param>
    public IReadOnlyList<Instrument> Options(uint underlyingToken, DateOnly expiry) =>
        _chains.TryGetValue(underlyingToken, out var chain) && chain.OptionsByExpiry.TryGetValue(expiry, out var options)
            ? options
            : [];

    /// <summary>Derives the kind from Kite's instrument_type.</summary>
    /// <param name="instrumentType">CE, PE, FUT, EQ, …</param>
    public static InstrumentKind KindOf(string? instrumentType)
    {
        if (string.Equals(instrumentType, "CE", StringComparison.OrdinalIgnoreCase))
        {
            return InstrumentKind.Call;
        }

        if (string.Equals(instrumentType, "PE", StringComparison.OrdinalIgnoreCase))
        {
            return InstrumentKind.Put;
        }

        return string.Equals(instrumentType, "FUT", StringComparison.OrdinalIgnoreCase) ? InstrumentKind.Future : InstrumentKind.Underlying;
    }

    private static bool IsIndexSegment(string segment) => string.Equals(segment, "INDICES", StringComparison.OrdinalIgnoreCase);

    private static FrozenDictionary<uint, Chain> BuildChains(Instrument[] instruments)
    {
        var groups = new Dictionary<uint, Dictionary<DateOnly, List<Instrument>>>();
        foreach (var instrument in instruments)
        {
            if (!instrument.IsOption || instrument.UnderlyingToken == 0 || instrument.Expiry is not { } expiry)
            {
                continue;
            }

            if (!groups.TryGetValue(instrument.UnderlyingToken, out var byExpiry))
            {
                byExpiry = [];
                groups.Add(instrument.UnderlyingToken, byExpiry);
            }

            if (!byExpiry.TryGetValue(expiry, out var options))
            {
                options = [];
                byExpiry.Add(expiry, options);
            }

            options.Add(instrument);
        }

        var chains = new Dictionary<uint, Chain>(groups.Count);
        foreach (var (token, byExpiry) in groups)
        {
            var expiries = byExpiry.Keys.ToArray();
            Array.Sort(expiries);
            var optionsByExpiry = new Dictionary<DateOnly, Instrument[]>(byExpiry.Count);
            foreach (var (expiry, options) in byExpiry)
            {
                var sorted = options.ToArray();
                Array.Sort(sorted, CompareChainOrder);
                optionsByExpiry.Add(expiry, sorted);
            }

            chains.Add(token, new Chain(expiries, optionsByExpiry.ToFrozenDictionary()));
        }

        return chains.ToFrozenDictionary();
    }

    private static int CompareChainOrder(Instrument left, Instrument right)
    {
        var byStrike = left.Strike.CompareTo(right.Strike);
        if (byStrike != 0)
        {
            return byStrike;
        }

        // Call before put; the id keeps the order total (and the sort deterministic) for duplicates.
        var byKind = left.Kind.CompareTo(right.Kind);
        return byKind != 0 ? byKind : left.Id.CompareTo(right.Id);
    }

    private sealed record Chain(DateOnly[] Expiries, FrozenDictionary<DateOnly, Instrument[]> OptionsByExpiry);
}
