using Ticker.Client.Kite;
using Ticker.Client.Synthetic;
using Ticker.Grains.Instruments;
using Ticker.Tests.Infrastructure;

namespace Ticker.Tests.Client.Kite;

public sealed class KiteInstrumentSelectionUnitTests
{
    [Fact]
    public void The_first_instruments_are_the_ones_the_synthetic_market_ticks()
    {
        var master = TestMarket.Master;
        var market = new SyntheticMarket(master, new SyntheticMarketOptions { Instruments = 600 });

        var tokens = KiteInstrumentSelection.Select(master, 600);

        Assert.Equal(market.Instruments.Select(i => i.InstrumentToken), tokens);
        Assert.Equal([SyntheticMaster.Nifty50Token, SyntheticMaster.NiftyBankToken], tokens[..2]);
    }

    [Fact]
    public void Beyond_the_options_come_futures_then_the_rest_of_the_master_without_duplicates()
    {
        var master = TestMarket.Master;

        var all = KiteInstrumentSelection.Select(master, int.MaxValue);

        Assert.Equal(master.Count, all.Length);
        Assert.Equal(master.Count, all.Distinct().Count());
    }

    [Fact]
    public void A_filter_keeps_to_the_named_underlyings_and_refuses_unknown_ones()
    {
        var master = TestMarket.Master;

        var bank = KiteInstrumentSelection.Select(master, 100, ["BANKNIFTY"]);

        Assert.Equal(SyntheticMaster.NiftyBankToken, bank[0]);
        Assert.Equal(100, bank.Length);
        Assert.All(bank[1..], t => Assert.Equal(SyntheticMaster.NiftyBankToken, master.TryGet(t, out var i) ? i.UnderlyingToken : 0));
        Assert.Empty(KiteInstrumentSelection.Select(master, 0));
        var error = Assert.Throws<ArgumentException>(() => KiteInstrumentSelection.Select(master, 10, ["NOPE"]));
        Assert.Contains("NOPE", error.Message, StringComparison.Ordinal);
    }
}
