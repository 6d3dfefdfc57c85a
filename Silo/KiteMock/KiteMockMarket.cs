using Ticker.Client.Synthetic;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Silo.KiteMock;

/// <summary>
/// The mock's market: a <see cref="SyntheticMarket"/> moves the underlyings and prices the options (so a silo
/// recovers its smile), every other served instrument walks randomly, and each token's latest state is kept with
/// every field of full mode plus a version that says when it last changed. Sessions copy what changed since they
/// last sent and encode it in the mode each subscriber asked for. Callers hold <see cref="Lock"/>.
/// </summary>
public sealed class KiteMockMarket
{
    private const double TickSize = 0.05;

    private readonly SyntheticMarket _market;
    private readonly Dictionary<uint, int> _slots;
    private readonly Tick[] _latest;
    private readonly long[] _versions;
    private readonly int[] _lots;
    private readonly int[] _others;
    private readonly int _marketCount;
    private readonly Random _random;
    private Tick[] _scratch = new Tick[1024];
    private int _nextOther;
    private long _clock;

    /// <summary>Creates the market of <paramref name="tokens"/> (tokens the master does not know are ignored).</summary>
    public KiteMockMarket(InstrumentMaster master, IReadOnlyList<uint> tokens, int seed, long nowUs)
    {
        ArgumentNullException.ThrowIfNull(master);
        ArgumentNullException.ThrowIfNull(tokens);
        _random = new Random(seed);
        var served = new List<Instrument>(tokens.Count);
        foreach (var token in tokens)
        {
            if (master.TryGet(token, out var instrument))
            {
                served.Add(instrument);
            }
        }

        Tokens = [.. served.Select(static i => i.InstrumentToken)];
        _slots = new Dictionary<uint, int>(served.Count);
        _latest = new Tick[served.Count];
        _versions = new long[served.Count];
        _lots = new int[served.Count];
        for (var slot = 0; slot < served.Count; slot++)
        {
            var instrument = served[slot];
            _slots[instrument.InstrumentToken] = slot;
            _lots[slot] = Math.Max(1, instrument.LotSize);
            var price = instrument.LastPrice > 0 ? instrument.LastPrice : instrument.IsOption ? 10 : 100;
            ref var tick = ref _latest[slot];
            tick.InstrumentToken = instrument.InstrumentToken;
            tick.Mode = TickMode.Full;
            tick.Tradable = (instrument.InstrumentToken & 0xFF) != 9;
            tick.Open = tick.Close = tick.High = tick.Low = Round(price);
            tick.Oi = instrument.Kind == InstrumentKind.Underlying ? 0 : 10_000 * (1 + _random.Next(500));
            tick.OiDayHigh = tick.OiDayLow = tick.Oi;
            Apply(slot, price, nowUs);
        }

        // The synthetic market ticks the underlyings and options it picks (the same first N); the rest walk here.
        _market = new SyntheticMarket(master, new SyntheticMarketOptions { Seed = seed, Instruments = served.Count });
        var marketTokens = new HashSet<uint>(_market.Instruments.Select(static i => i.InstrumentToken));
        _marketCount = served.Count(i => marketTokens.Contains(i.InstrumentToken));
        _others = [.. Enumerable.Range(0, served.Count).Where(s => !marketTokens.Contains(served[s].InstrumentToken))];
        if (_marketCount > 0)
        {
            // One pass so every option starts at its model price.
            NextFromMarket(_market.Instruments.Count + (_market.Instruments.Count / 9) + 10, nowUs);
        }
    }

    /// <summary>Guards every member; hold it while reading or advancing.</summary>
    public Lock Lock { get; } = new();

    /// <summary>The tokens served, in selection order.</summary>
    public IReadOnlyList<uint> Tokens { get; }

    /// <summary>Finds the slot of a served token.</summary>
    public bool TryGetSlot(uint token, out int slot) => _slots.TryGetValue(token, out slot);

    /// <summary>When the slot last changed (a counter; every slot starts above 0).</summary>
    public long Version(int slot) => _versions[slot];

    /// <summary>The latest state of a slot, every field of full mode filled.</summary>
    public ref readonly Tick Latest(int slot) => ref _latest[slot];

    /// <summary>Moves <paramref name="updates"/> instruments (round-robin) to their next price at <paramref name="nowUs"/>.</summary>
    public void Advance(int updates, long nowUs)
    {
        if (Tokens.Count == 0 || updates <= 0)
        {
            return;
        }

        var fromMarket = _marketCount == 0 ? 0 : Math.Max(1, (int)((long)updates * _marketCount / Tokens.Count));
        NextFromMarket(fromMarket, nowUs);
        for (var i = fromMarket; i < updates && _others.Length > 0; i++)
        {
            var slot = _others[_nextOther++ % _others.Length];
            var step = 1 + ((_random.NextDouble() - 0.5) * 0.002);
            Apply(slot, _latest[slot].LastPrice * step, nowUs);
        }
    }

    private void NextFromMarket(int count, long nowUs)
    {
        if (_scratch.Length < count)
        {
            _scratch = new Tick[count];
        }

        var ticks = _scratch.AsSpan(0, count);
        _market.NextTicks(ticks, nowUs);
        foreach (ref readonly var tick in ticks)
        {
            if (_slots.TryGetValue(tick.InstrumentToken, out var slot))
            {
                Apply(slot, tick.LastPrice, nowUs);
            }
        }
    }

    private void Apply(int slot, double price, long nowUs)
    {
        ref var tick = ref _latest[slot];
        var lot = _lots[slot];
        price = Math.Max(TickSize, Round(price));
        var seconds = nowUs / 1_000_000;
        tick.LastPrice = price;
        tick.High = Math.Max(tick.High, price);
        tick.Low = tick.Low > 0 ? Math.Min(tick.Low, price) : price;
        tick.Change = tick.Close == 0 ? 0 : (price - tick.Close) * 100 / tick.Close;
        tick.LastTradedQuantity = lot;
        tick.VolumeTraded += lot * (1 + _random.Next(10));
        tick.AverageTradedPrice = tick.AverageTradedPrice == 0 ? price : Round((tick.AverageTradedPrice * 0.9) + (price * 0.1));
        tick.TotalBuyQuantity = lot * 50L;
        tick.TotalSellQuantity = lot * 48L;
        tick.LastTradeTime = seconds;
        tick.ExchangeTimestamp = seconds;
        if (tick.Oi > 0)
        {
            tick.Oi = Math.Max(lot, tick.Oi + (lot * (_random.Next(21) - 10)));
            tick.OiDayHigh = Math.Max(tick.OiDayHigh, tick.Oi);
            tick.OiDayLow = Math.Min(tick.OiDayLow, tick.Oi);
        }

        for (var level = 0; level < DepthSide.Levels; level++)
        {
            tick.Buy[level] = new DepthLevel { Price = Math.Max(0, Round(price - (TickSize * (level + 1)))), Quantity = lot * (level + 1), Orders = level + 1 };
            tick.Sell[level] = new DepthLevel { Price = Round(price + (TickSize * (level + 1))), Quantity = lot * (level + 1), Orders = level + 1 };
        }

        _versions[slot] = ++_clock;
    }

    private static double Round(double price) => Math.Round(price / TickSize, MidpointRounding.AwayFromZero) * TickSize;
}
