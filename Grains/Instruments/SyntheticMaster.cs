using System.Globalization;
using Ticker.Grains.Interfaces.Instruments;

namespace Ticker.Grains.Instruments;

/// <summary>
/// A Kite-shaped instrument master made up from the trading day alone, so that separate processes (feed, silo,
/// client) agree on tokens without configuration. It holds the NIFTY 50 and NIFTY BANK indices, three monthly
/// futures on each, NIFTY options on the next eight weekly Tuesday expiries plus the next three monthly (last
/// Tuesday) expiries, and BANKNIFTY options on the next three monthly expiries.
/// </summary>
/// <remarks>
/// Tokens follow Kite's NFO shape (<c>exchange_token &lt;&lt; 8 | 2</c>) and are a pure function of the contract
/// (underlying, expiry week, strike, right), so a contract keeps its token from one day's master to the next.
/// Strikes are fixed around <see cref="NiftySpot"/> and <see cref="BankNiftySpot"/>; holidays are ignored.
/// </remarks>
public static class SyntheticMaster
{
    /// <summary>Kite's token of the NIFTY 50 index.</summary>
    public const uint Nifty50Token = 256265;

    /// <summary>Kite's token of the NIFTY BANK index.</summary>
    public const uint NiftyBankToken = 260105;

    /// <summary>The reference price of NIFTY 50 (its last_price, the centre of its strikes).</summary>
    public const double NiftySpot = 24_000;

    /// <summary>The reference price of NIFTY BANK (its last_price, the centre of its strikes).</summary>
    public const double BankNiftySpot = 52_000;

    /// <summary>NIFTY strike interval.</summary>
    public const double NiftyStrikeStep = 50;

    /// <summary>BANKNIFTY strike interval.</summary>
    public const double BankNiftyStrikeStep = 100;

    /// <summary>NIFTY strikes on each side of the money (251 strikes: 17,750 to 30,250).</summary>
    public const int NiftyStrikesEachSide = 125;

    /// <summary>BANKNIFTY strikes on each side of the money (121 strikes: 46,000 to 58,000).</summary>
    public const int BankNiftyStrikesEachSide = 60;

    /// <summary>NIFTY weekly expiries listed.</summary>
    public const int NiftyWeeklyExpiries = 8;

    /// <summary>Monthly expiries listed (options of both indices and futures).</summary>
    public const int MonthlyExpiries = 3;

    /// <summary>NIFTY lot size.</summary>
    public const int NiftyLotSize = 75;

    /// <summary>BANKNIFTY lot size.</summary>
    public const int BankNiftyLotSize = 35;

    /// <summary>Tick size of every synthetic instrument.</summary>
    public const double TickSize = 0.05;

    /// <summary>The carry used for the futures' reference prices (annual, simple).</summary>
    private const double FuturesCarry = 0.065;

    private const int ExpiryWeekSlots = 16;
    private const uint FuturesExchangeTokenBase = 35_000;
    private const uint NiftyOptionExchangeTokenBase = 40_000;
    private const uint BankNiftyOptionExchangeTokenBase = 50_000;
    private const uint NfoSegment = 2;

    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

    /// <summary>Builds the synthetic master for a trading day; the same day always gives identical rows.</summary>
    /// <param name="tradingDay">The IST trading day; only expiries on or after it are listed.</param>
    public static InstrumentMaster Create(DateOnly tradingDay)
    {
        var monthly = MonthlyExpiryDates(tradingDay, MonthlyExpiries);
        var niftyExpiries = new SortedSet<DateOnly>(WeeklyExpiryDates(tradingDay, NiftyWeeklyExpiries));
        niftyExpiries.UnionWith(monthly);

        var rows = new List<Instrument>(5_400)
        {
            Index(Nifty50Token, "NIFTY 50", NiftySpot),
            Index(NiftyBankToken, "NIFTY BANK", BankNiftySpot),
        };

        foreach (var expiry in monthly)
        {
            rows.Add(Future("NIFTY", expiry, NiftySpot, NiftyLotSize, tradingDay, 0));
        }

        foreach (var expiry in monthly)
        {
            rows.Add(Future("BANKNIFTY", expiry, BankNiftySpot, BankNiftyLotSize, tradingDay, 100));
        }

        var nifty = new Chain("NIFTY", NiftySpot, NiftyStrikeStep, NiftyStrikesEachSide, NiftyLotSize, NiftyOptionExchangeTokenBase);
        foreach (var expiry in niftyExpiries)
        {
            AddOptions(rows, nifty, expiry);
        }

        var bankNifty = new Chain("BANKNIFTY", BankNiftySpot, BankNiftyStrikeStep, BankNiftyStrikesEachSide, BankNiftyLotSize, BankNiftyOptionExchangeTokenBase);
        foreach (var expiry in monthly)
        {
            AddOptions(rows, bankNifty, expiry);
        }

        return InstrumentMaster.Create(rows, UnderlyingMap.Default);
    }

    /// <summary>The trading day: today's date in India (IST), whatever the machine's time zone.</summary>
    /// <param name="time">The clock.</param>
    public static DateOnly TodayInIndia(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return IndiaTime.DateOf(time.GetUtcNow());
    }

    /// <summary>The first <paramref name="count"/> Tuesdays on or after <paramref name="day"/>.</summary>
    /// <param name="day">The first day that may be an expiry.</param>
    /// <param name="count">How many expiries.</param>
    public static IReadOnlyList<DateOnly> WeeklyExpiryDates(DateOnly day, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var first = day.AddDays(((int)DayOfWeek.Tuesday - (int)day.DayOfWeek + 7) % 7);
        var dates = new DateOnly[count];
        for (var i = 0; i < count; i++)
        {
            dates[i] = first.AddDays(7 * i);
        }

        return dates;
    }

    /// <summary>The first <paramref name="count"/> month-end expiries (the last Tuesday of a month) on or after <paramref name="day"/>.</summary>
    /// <param name="day">The first day that may be an expiry.</param>
    /// <param name="count">How many expiries.</param>
    public static IReadOnlyList<DateOnly> MonthlyExpiryDates(DateOnly day, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var dates = new List<DateOnly>(count);
        var month = new DateOnly(day.Year, day.Month, 1);
        while (dates.Count < count)
        {
            var last = LastTuesday(month.Year, month.Month);
            if (last >= day)
            {
                dates.Add(last);
            }

            month = month.AddMonths(1);
        }

        return dates;
    }

    /// <summary>True when <paramref name="expiry"/> is the last Tuesday of its month (a monthly contract).</summary>
    /// <param name="expiry">An expiry date.</param>
    public static bool IsMonthlyExpiry(DateOnly expiry) => expiry == LastTuesday(expiry.Year, expiry.Month);

    /// <summary>
    /// Kite's option tradingsymbol: <c>NAME YY MMM STRIKE CE|PE</c> for a monthly expiry (<c>NIFTY25DEC24000CE</c>),
    /// <c>NAME YY M DD STRIKE CE|PE</c> for a weekly one, where M is 1–9 for January to September and O, N, D for
    /// October to December (<c>NIFTY25D0224000CE</c>).
    /// </summary>
    /// <param name="name">The underlying name, e.g. NIFTY.</param>
    /// <param name="expiry">The expiry date.</param>
    /// <param name="monthly">Whether it is the month's last expiry.</param>
    /// <param name="strike">The strike.</param>
    /// <param name="kind">Call or put.</param>
    public static string OptionSymbol(string name, DateOnly expiry, bool monthly, double strike, InstrumentKind kind)
    {
        var right = kind == InstrumentKind.Put ? "PE" : "CE";
        var strikeText = strike.ToString("0.##", CultureInfo.InvariantCulture);
        var year = (expiry.Year % 100).ToString("00", CultureInfo.InvariantCulture);
        if (monthly)
        {
            return string.Concat(name, year, MonthNames[expiry.Month - 1], strikeText, right);
        }

        var month = expiry.Month switch
        {
            10 => "O",
            11 => "N",
            12 => "D",
            _ => expiry.Month.ToString(CultureInfo.InvariantCulture),
        };
        return string.Concat(name, year, month, expiry.Day.ToString("00", CultureInfo.InvariantCulture), strikeText, right);
    }

    /// <summary>Kite's future tradingsymbol: <c>NAME YY MMM FUT</c>, e.g. <c>NIFTY25DECFUT</c>.</summary>
    /// <param name="name">The underlying name, e.g. NIFTY.</param>
    /// <param name="expiry">The expiry date.</param>
    public static string FutureSymbol(string name, DateOnly expiry) =>
        string.Concat(name, (expiry.Year % 100).ToString("00", CultureInfo.InvariantCulture), MonthNames[expiry.Month - 1], "FUT");

    private static DateOnly LastTuesday(int year, int month)
    {
        var last = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        return last.AddDays(-(((int)last.DayOfWeek - (int)DayOfWeek.Tuesday + 7) % 7));
    }

    private static Instrument Index(uint token, string symbol, double price) => new()
    {
        InstrumentToken = token,
        ExchangeToken = token >> 8,
        TradingSymbol = symbol,
        Name = symbol,
        LastPrice = price,
        TickSize = TickSize,
        InstrumentType = "EQ",
        Segment = "INDICES",
        Exchange = "NSE",
    };

    private static Instrument Future(string name, DateOnly expiry, double spot, int lotSize, DateOnly tradingDay, uint tokenOffset)
    {
        var exchangeToken = FuturesExchangeTokenBase + tokenOffset + (uint)(((expiry.Year * 12) + expiry.Month - 1) % 12);
        var days = expiry.DayNumber - tradingDay.DayNumber;
        var price = Math.Round(spot * (1 + (FuturesCarry * days / 365)) / TickSize) * TickSize;
        return new Instrument
        {
            InstrumentToken = NfoToken(exchangeToken),
            ExchangeToken = exchangeToken,
            TradingSymbol = FutureSymbol(name, expiry),
            Name = name,
            LastPrice = Math.Round(price, 2),
            Expiry = expiry,
            TickSize = TickSize,
            LotSize = lotSize,
            InstrumentType = "FUT",
            Segment = "NFO-FUT",
            Exchange = "NFO",
        };
    }

    private static void AddOptions(List<Instrument> rows, Chain chain, DateOnly expiry)
    {
        var monthly = IsMonthlyExpiry(expiry);
        // Tuesdays are seven day numbers apart, so DayNumber / 7 counts weeks; 16 slots outlast the ~14 weeks listed.
        var slot = (uint)(expiry.DayNumber / 7 % ExpiryWeekSlots);
        var strikes = (2 * chain.StrikesEachSide) + 1;
        var slotSize = (uint)strikes * 2;
        for (var s = 0; s < strikes; s++)
        {
            var strike = chain.Spot + ((s - chain.StrikesEachSide) * chain.StrikeStep);
            for (var right = 0; right < 2; right++)
            {
                var kind = right == 0 ? InstrumentKind.Call : InstrumentKind.Put;
                var exchangeToken = chain.ExchangeTokenBase + (slot * slotSize) + ((uint)s * 2) + (uint)right;
                rows.Add(new Instrument
                {
                    InstrumentToken = NfoToken(exchangeToken),
                    ExchangeToken = exchangeToken,
                    TradingSymbol = OptionSymbol(chain.Name, expiry, monthly, strike, kind),
                    Name = chain.Name,
                    Expiry = expiry,
                    Strike = strike,
                    TickSize = TickSize,
                    LotSize = chain.LotSize,
                    InstrumentType = right == 0 ? "CE" : "PE",
                    Segment = "NFO-OPT",
                    Exchange = "NFO",
                });
            }
        }
    }

    private static uint NfoToken(uint exchangeToken) => (exchangeToken << 8) | NfoSegment;

    private sealed record Chain(string Name, double Spot, double StrikeStep, int StrikesEachSide, int LotSize, uint ExchangeTokenBase);
}
