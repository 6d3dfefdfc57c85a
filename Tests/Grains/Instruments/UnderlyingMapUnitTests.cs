using Ticker.Grains.Instruments;

namespace Ticker.Tests.Grains.Instruments;

public sealed class UnderlyingMapUnitTests
{
    [Theory]
    [InlineData("NIFTY", "NIFTY 50")]
    [InlineData("BANKNIFTY", "NIFTY BANK")]
    [InlineData("FINNIFTY", "NIFTY FIN SERVICE")]
    [InlineData("MIDCPNIFTY", "NIFTY MID SELECT")]
    [InlineData("midcpnifty", "NIFTY MID SELECT")]
    public void The_default_map_knows_the_nse_index_derivatives(string name, string symbol)
    {
        Assert.True(UnderlyingMap.Default.TryGetIndexSymbol(name, out var found));
        Assert.Equal(symbol, found);
    }

    [Fact]
    public void Unknown_names_are_not_mapped()
    {
        Assert.False(UnderlyingMap.Default.TryGetIndexSymbol("SENSEX", out _));
    }

    [Fact]
    public void Names_that_differ_only_in_case_or_empty_entries_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new UnderlyingMap(new Dictionary<string, string> { ["NIFTY"] = "NIFTY 50", ["nifty"] = "NIFTY 50" }));
        Assert.Throws<ArgumentException>(() => new UnderlyingMap(new Dictionary<string, string> { ["NIFTY"] = " " }));
    }
}
