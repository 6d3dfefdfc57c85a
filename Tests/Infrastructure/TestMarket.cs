using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Tests.Infrastructure;

/// <summary>A fixed synthetic master and helpers to pick instruments and build ticks for tests.</summary>
internal static class TestMarket
{
    /// <summary>The trading day every test master is built for.</summary>
    public static readonly DateOnly Day = new(2026, 11, 20);

    private static readonly Lazy<InstrumentMaster> LazyMaster = new(() => SyntheticMaster.Create(Day));

    /// <summary>The synthetic master of <see cref="Day"/>.</summary>
    public static InstrumentMaster Master => LazyMaster.Value;

    /// <summary>The NIFTY 50 index.</summary>
    public static Instrument Nifty => Master.TryGetUnderlying("NIFTY", out var nifty) ? nifty : throw new InvalidOperationException("no NIFTY in the synthetic master");

    /// <summary>The nearest-expiry NIFTY option of <paramref name="kind"/> closest to <paramref name="strike"/>.</summary>
    public static Instrument NiftyOption(InstrumentKind kind, double strike)
    {
        var expiry = Master.Expiries(Nifty.InstrumentToken)[0];
        Instrument? best = null;
        foreach (var option in Master.Options(Nifty.InstrumentToken, expiry))
        {
            if (option.Kind == kind && (best is null || Math.Abs(option.Strike - strike) < Math.Abs(best.Strike - strike)))
            {
                best = option;
            }
        }

        return best ?? throw new InvalidOperationException("no such option");
    }

    /// <summary>Unix microseconds of a UTC time on <see cref="Day"/>.</summary>
    public static long Us(int hourUtc, int minute, int second = 0) =>
        new DateTimeOffset(Day.Year, Day.Month, Day.Day, hourUtc, minute, second, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000;

    /// <summary>A full-mode tick of <paramref name="token"/> at <paramref name="price"/> stamped <paramref name="atUs"/>.</summary>
    public static Tick Tick(uint token, double price, long atUs, long volume = 0)
    {
        var tick = new Tick
        {
            InstrumentToken = token,
            Mode = TickMode.Full,
            Tradable = (token & 0xFF) != 9,
            LastPrice = price,
            VolumeTraded = volume,
            ExchangeTimestamp = atUs / 1_000_000,
            ReceivedAtUs = atUs,
        };
        tick.Buy[0] = new DepthLevel { Price = Math.Max(0, price - 0.05), Quantity = 75, Orders = 1 };
        tick.Sell[0] = new DepthLevel { Price = price + 0.05, Quantity = 150, Orders = 2 };
        return tick;
    }
}
