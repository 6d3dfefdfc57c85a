using System.Globalization;
using System.Text.RegularExpressions;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Instruments;

namespace Ticker.Tests.Grains.Instruments;

public sealed partial class SyntheticMasterUnitTests
{
    private static readonly DateOnly Day = new(2025, 11, 21); // a Friday

    public static TheoryData<DateOnly> Days => new()
    {
        new DateOnly(2025, 11, 21),
        new DateOnly(2025, 11, 25), // the last Tuesday of November: an expiry day
        new DateOnly(2025, 11, 26), // the day after a monthly expiry
        new DateOnly(2025, 12, 31),
        new DateOnly(2026, 2, 1),
        new DateOnly(2028, 2, 29),
    };

    [Fact]
    public void The_same_day_gives_identical_rows()
    {
        var first = SyntheticMaster.Create(Day);
        var second = SyntheticMaster.Create(Day);

        Assert.Equal(first.Instruments, second.Instruments);
        Assert.Equal(Csv(first), Csv(second));
    }

    [Theory]
    [MemberData(nameof(Days))]
    public void It_is_large_enough_and_every_token_is_unique_and_kite_shaped(DateOnly day)
    {
        var master = SyntheticMaster.Create(day);

        Assert.True(master.Count >= 5_000, $"only {master.Count} instruments");
        var tokens = new HashSet<uint>();
        var exchangeTokens = new HashSet<uint>();
        foreach (var instrument in master.Instruments)
        {
            Assert.True(tokens.Add(instrument.InstrumentToken), $"token {instrument.InstrumentToken} twice");
            Assert.True(exchangeTokens.Add(instrument.ExchangeToken), $"exchange token {instrument.ExchangeToken} twice");
            Assert.Equal(instrument.ExchangeToken, instrument.InstrumentToken >> 8);
            if (instrument.Exchange == "NFO")
            {
                Assert.Equal(2u, instrument.InstrumentToken & 0xFF);
                Assert.InRange(instrument.ExchangeToken, 10_000u, 99_999u);
                Assert.Equal(0.05, instrument.TickSize);
            }
        }

        Assert.Equal(master.Count, master.Instruments.Select(i => i.TradingSymbol).Distinct().Count());
    }

    [Fact]
    public void The_indices_are_kites()
    {
        var master = SyntheticMaster.Create(Day);

        Assert.True(master.TryGet(256265, out var nifty));
        Assert.Equal(("NIFTY 50", "INDICES", "NSE", InstrumentKind.Underlying), (nifty.TradingSymbol, nifty.Segment, nifty.Exchange, nifty.Kind));
        Assert.Equal(24_000, nifty.LastPrice, 1e-9);
        Assert.Equal(9u, nifty.InstrumentToken & 0xFF);
        Assert.True(master.TryGet(260105, out var bank));
        Assert.Equal("NIFTY BANK", bank.TradingSymbol);
        Assert.Equal(52_000, bank.LastPrice, 1e-9);
        Assert.Equal([256265u, 260105u], master.Underlyings.Select(u => u.InstrumentToken));
    }

    [Theory]
    [MemberData(nameof(Days))]
    public void Nifty_has_eight_weekly_tuesdays_plus_three_monthlies_on_or_after_the_day(DateOnly day)
    {
        var master = SyntheticMaster.Create(day);

        var expiries = master.Expiries(SyntheticMaster.Nifty50Token);
        var weekly = SyntheticMaster.WeeklyExpiryDates(day, 8);
        var monthly = SyntheticMaster.MonthlyExpiryDates(day, 3);
        Assert.Equal(weekly.Union(monthly).Order(), expiries);
        Assert.All(expiries, e => Assert.Equal(DayOfWeek.Tuesday, e.DayOfWeek));
        Assert.All(expiries, e => Assert.True(e >= day));
        Assert.True(weekly[0] < day.AddDays(7));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => weekly[0].AddDays(7 * i)), weekly);
        Assert.All(monthly, e => Assert.True(e.AddDays(7).Month != e.Month, $"{e} is not the last Tuesday"));
        Assert.Equal(3, monthly.Select(e => (e.Year, e.Month)).Distinct().Count());
        Assert.True(monthly[0].AddDays(-35) < day, "the first monthly expiry skipped a month");
    }

    [Theory]
    [MemberData(nameof(Days))]
    public void Banknifty_has_the_three_monthlies_and_both_have_futures_on_them(DateOnly day)
    {
        var master = SyntheticMaster.Create(day);
        var monthly = SyntheticMaster.MonthlyExpiryDates(day, 3);

        Assert.Equal(monthly, master.Expiries(SyntheticMaster.NiftyBankToken));
        var futures = master.Instruments.Where(i => i.Kind == InstrumentKind.Future).ToList();
        Assert.Equal(6, futures.Count);
        Assert.Equal(monthly, futures.Where(f => f.Name == "NIFTY").Select(f => f.Expiry!.Value));
        Assert.Equal(monthly, futures.Where(f => f.Name == "BANKNIFTY").Select(f => f.Expiry!.Value));
        Assert.All(futures, f => Assert.Equal("NFO-FUT", f.Segment));
        Assert.All(futures.Where(f => f.Name == "BANKNIFTY"), f => Assert.Equal(SyntheticMaster.NiftyBankToken, f.UnderlyingToken));
    }

    [Fact]
    public void Chains_have_the_documented_strikes_lots_and_symbols()
    {
        var master = SyntheticMaster.Create(Day);

        var weekly = master.Options(SyntheticMaster.Nifty50Token, new DateOnly(2025, 12, 2));
        Assert.Equal(251 * 2, weekly.Count);
        Assert.Equal(17_750, weekly[0].Strike);
        Assert.Equal(30_250, weekly[^1].Strike);
        Assert.All(weekly, o => Assert.Equal(0, o.Strike % 50));
        Assert.All(weekly, o => Assert.Equal(75, o.LotSize));
        Assert.All(weekly, o => Assert.Equal(SyntheticMaster.Nifty50Token, o.UnderlyingToken));
        Assert.Contains(weekly, o => o.TradingSymbol == "NIFTY25D0224000CE" && o.Kind == InstrumentKind.Call && o.Strike == 24_000);
        Assert.Contains(weekly, o => o.TradingSymbol == "NIFTY25D0224000PE" && o.Kind == InstrumentKind.Put);

        var monthly = master.Options(SyntheticMaster.Nifty50Token, new DateOnly(2025, 12, 30));
        Assert.Contains(monthly, o => o.TradingSymbol == "NIFTY25DEC24000CE");

        var bank = master.Options(SyntheticMaster.NiftyBankToken, new DateOnly(2025, 12, 30));
        Assert.Equal(121 * 2, bank.Count);
        Assert.All(bank, o => Assert.Equal(0, o.Strike % 100));
        Assert.All(bank, o => Assert.Equal(35, o.LotSize));
        Assert.Contains(bank, o => o.TradingSymbol == "BANKNIFTY25DEC52000PE");
        Assert.Contains(master.Instruments, i => i.TradingSymbol == "NIFTY25DECFUT");
    }

    [Fact]
    public void Every_symbol_follows_kites_pattern()
    {
        var master = SyntheticMaster.Create(Day);

        foreach (var instrument in master.Instruments.Where(i => i.IsOption))
        {
            var expiry = instrument.Expiry!.Value;
            var match = OptionSymbolPattern().Match(instrument.TradingSymbol);
            Assert.True(match.Success, instrument.TradingSymbol);
            Assert.Equal(instrument.Name, match.Groups["name"].Value);
            Assert.Equal(expiry.ToString("yy", CultureInfo.InvariantCulture), match.Groups["yy"].Value);
            Assert.Equal(instrument.Strike.ToString(CultureInfo.InvariantCulture), match.Groups["strike"].Value);
            Assert.Equal(instrument.InstrumentType, match.Groups["right"].Value);
            if (SyntheticMaster.IsMonthlyExpiry(expiry))
            {
                Assert.Equal(expiry.ToString("MMM", CultureInfo.InvariantCulture).ToUpperInvariant(), match.Groups["mmm"].Value);
            }
            else
            {
                Assert.Equal("123456789OND"[expiry.Month - 1].ToString(), match.Groups["m"].Value);
                Assert.Equal(expiry.ToString("dd", CultureInfo.InvariantCulture), match.Groups["dd"].Value);
            }
        }
    }

    [Theory]
    [InlineData(2025, 1, 7, false, "NIFTY25107")]
    [InlineData(2025, 10, 14, false, "NIFTY25O14")]
    [InlineData(2025, 11, 4, false, "NIFTY25N04")]
    [InlineData(2025, 12, 30, true, "NIFTY25DEC")]
    public void Option_symbols_encode_weekly_and_monthly_expiries(int year, int month, int day, bool monthly, string prefix)
    {
        var symbol = SyntheticMaster.OptionSymbol("NIFTY", new DateOnly(year, month, day), monthly, 24_050, InstrumentKind.Put);

        Assert.Equal(prefix + "24050PE", symbol);
    }

    [Fact]
    public void A_contract_keeps_its_token_from_one_day_to_the_next()
    {
        var monday = SyntheticMaster.Create(new DateOnly(2025, 11, 24));
        var wednesday = SyntheticMaster.Create(new DateOnly(2025, 11, 26));

        var bySymbol = monday.Instruments.ToDictionary(i => i.TradingSymbol, i => i.InstrumentToken);
        var shared = 0;
        foreach (var instrument in wednesday.Instruments)
        {
            if (bySymbol.TryGetValue(instrument.TradingSymbol, out var token))
            {
                Assert.Equal(token, instrument.InstrumentToken);
                shared++;
            }
        }

        Assert.True(shared > 4_000, $"only {shared} contracts in common");
        Assert.DoesNotContain(wednesday.Instruments, i => i.Expiry == new DateOnly(2025, 11, 25));
    }

    [Theory]
    [InlineData("2025-11-20T18:29:59Z", 2025, 11, 20)]
    [InlineData("2025-11-20T18:30:00Z", 2025, 11, 21)]
    [InlineData("2025-11-21T09:00:00Z", 2025, 11, 21)]
    public void Today_in_india_is_the_ist_date(string utc, int year, int month, int day)
    {
        var time = new FixedTimeProvider(DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture));

        Assert.Equal(new DateOnly(year, month, day), SyntheticMaster.TodayInIndia(time));
    }

    [Fact]
    public void It_round_trips_through_the_csv()
    {
        var master = SyntheticMaster.Create(Day);

        var again = InstrumentCsv.Load(new StringReader(Csv(master)));

        Assert.Equal(master.Instruments, again.Instruments);
    }

    private static string Csv(InstrumentMaster master)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        InstrumentCsv.Write(writer, master.Instruments);
        return writer.ToString();
    }

    [GeneratedRegex("^(?<name>[A-Z]+)(?<yy>[0-9]{2})(?:(?<mmm>[A-Z]{3})|(?<m>[1-9OND])(?<dd>[0-9]{2}))(?<strike>[0-9]+)(?<right>CE|PE)$")]
    private static partial Regex OptionSymbolPattern();
}
