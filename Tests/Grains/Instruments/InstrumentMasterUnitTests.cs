using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Instruments;

namespace Ticker.Tests.Grains.Instruments;

public sealed class InstrumentMasterUnitTests
{
    private static readonly DateOnly Near = new(2025, 12, 2);
    private static readonly DateOnly Far = new(2025, 12, 30);

    private static Instrument Index(uint token, string symbol) =>
        new() { InstrumentToken = token, TradingSymbol = symbol, Name = symbol, InstrumentType = "EQ", Segment = "INDICES", Exchange = "NSE" };

    private static Instrument Option(uint token, string name, DateOnly expiry, double strike, string type) => new()
    {
        InstrumentToken = token,
        TradingSymbol = $"{name}{expiry:yyMMdd}{strike}{type}",
        Name = name,
        Expiry = expiry,
        Strike = strike,
        InstrumentType = type,
        Segment = "NFO-OPT",
        Exchange = "NFO",
    };

    /// <summary>Rows deliberately out of chain order: the master must sort chains itself.</summary>
    private static InstrumentMaster Shuffled() => InstrumentMaster.Create(
        [
            Option(1002, "NIFTY", Far, 24100, "PE"),
            Option(1003, "NIFTY", Near, 24100, "PE"),
            Index(256265, "NIFTY 50"),
            Option(1004, "NIFTY", Near, 24000, "PE"),
            Option(1005, "NIFTY", Near, 24100, "CE"),
            Option(1006, "NIFTY", Near, 23900, "CE"),
            Option(1007, "NIFTY", Near, 24000, "CE"),
            Option(1008, "BANKNIFTY", Near, 52000, "CE"),
            Index(260105, "NIFTY BANK"),
            Option(1009, "NIFTY", Far, 24100, "CE"),
            Option(1010, "FINNIFTY", Near, 23000, "CE"),
            new() { InstrumentToken = 1011, TradingSymbol = "NIFTY25DECFUT", Name = "NIFTY", Expiry = Far, InstrumentType = "FUT" },
        ],
        UnderlyingMap.Default);

    [Fact]
    public void Ids_follow_input_order_and_token_lookups_find_them()
    {
        var master = Shuffled();

        Assert.Equal(12, master.Count);
        Assert.True(master.TryGetId(256265, out var id));
        Assert.Equal(2, id);
        Assert.True(master.TryGet(1009, out var option));
        Assert.Equal(9, option.Id);
        Assert.Same(master[9], option);
        Assert.False(master.TryGetId(42, out _));
        Assert.False(master.TryGet(42, out var missing));
        Assert.Null(missing);
    }

    [Fact]
    public void Options_are_sorted_by_strike_with_the_call_first()
    {
        var master = Shuffled();

        var chain = master.Options(256265, Near);

        Assert.Equal([1006u, 1007u, 1004u, 1005u, 1003u], chain.Select(o => o.InstrumentToken));
        Assert.Equal([23900d, 24000, 24000, 24100, 24100], chain.Select(o => o.Strike));
        Assert.Equal(
            [InstrumentKind.Call, InstrumentKind.Call, InstrumentKind.Put, InstrumentKind.Call, InstrumentKind.Put],
            chain.Select(o => o.Kind));
        Assert.Equal([1009u, 1002u], master.Options(256265, Far).Select(o => o.InstrumentToken));
    }

    [Fact]
    public void Expiries_are_ascending_option_expiries_per_underlying()
    {
        var master = Shuffled();

        Assert.Equal([Near, Far], master.Expiries(256265));
        Assert.Equal([Near], master.Expiries(260105));
        Assert.Empty(master.Expiries(42));
        Assert.Empty(master.Options(256265, new DateOnly(2026, 1, 1)));
        Assert.Empty(master.Options(42, Near));
    }

    [Fact]
    public void Unmapped_options_stay_out_of_the_chains()
    {
        var master = Shuffled();

        // FINNIFTY maps to NIFTY FIN SERVICE, which this master lacks.
        Assert.True(master.TryGet(1010, out var finnifty));
        Assert.Equal(0u, finnifty.UnderlyingToken);
        Assert.Empty(master.Expiries(0));
    }

    [Fact]
    public void Futures_get_their_underlying_but_are_not_in_the_chains()
    {
        var master = Shuffled();

        Assert.True(master.TryGet(1011, out var future));
        Assert.Equal(InstrumentKind.Future, future.Kind);
        Assert.Equal(256265u, future.UnderlyingToken);
        Assert.DoesNotContain(master.Options(256265, Far), o => o.InstrumentToken == 1011);
    }

    [Theory]
    [InlineData("NIFTY", 256265u)]
    [InlineData("nifty", 256265u)]
    [InlineData("NIFTY 50", 256265u)]
    [InlineData("nifty 50", 256265u)]
    [InlineData(" BankNifty ", 260105u)]
    [InlineData("NIFTY BANK", 260105u)]
    public void Underlyings_are_found_by_name_or_symbol(string key, uint token)
    {
        var master = Shuffled();

        Assert.True(master.TryGetUnderlying(key, out var underlying));
        Assert.Equal(token, underlying.InstrumentToken);
        Assert.Equal(InstrumentKind.Underlying, underlying.Kind);
    }

    [Theory]
    [InlineData("FINNIFTY")]
    [InlineData("NIFTY FIN SERVICE")]
    [InlineData("SENSEX")]
    [InlineData("")]
    public void Missing_underlyings_are_not_found(string key)
    {
        Assert.False(Shuffled().TryGetUnderlying(key, out _));
    }

    [Fact]
    public void Underlyings_lists_only_indices_that_something_maps_to()
    {
        var master = InstrumentMaster.Create(
            [Index(260105, "NIFTY BANK"), Index(256265, "NIFTY 50"), Option(7, "NIFTY", Near, 24000, "CE")],
            UnderlyingMap.Default);

        Assert.Equal([256265u], master.Underlyings.Select(u => u.InstrumentToken));
        // A mapped index without options is still found by name.
        Assert.True(master.TryGetUnderlying("BANKNIFTY", out var bank));
        Assert.Equal(260105u, bank.InstrumentToken);
    }

    [Fact]
    public void Create_replaces_whatever_derived_properties_the_rows_held()
    {
        var row = Option(7, "NIFTY", Near, 24000, "PE") with { Kind = InstrumentKind.Call, UnderlyingToken = 99, Id = 42 };

        var master = InstrumentMaster.Create([Index(256265, "NIFTY 50"), row], UnderlyingMap.Default);

        Assert.Equal(InstrumentKind.Put, master[1].Kind);
        Assert.Equal(256265u, master[1].UnderlyingToken);
        Assert.Equal(1, master[1].Id);
    }

    [Fact]
    public void An_index_row_wins_over_another_underlying_with_the_same_symbol()
    {
        var master = InstrumentMaster.Create(
            [
                new() { InstrumentToken = 5, TradingSymbol = "NIFTY 50", InstrumentType = "EQ", Segment = "BSE", Exchange = "BSE" },
                Index(256265, "NIFTY 50"),
                Option(7, "NIFTY", Near, 24000, "CE"),
            ],
            UnderlyingMap.Default);

        Assert.Equal(256265u, master[2].UnderlyingToken);
    }

    [Fact]
    public void Duplicate_and_zero_tokens_are_refused()
    {
        Assert.Throws<ArgumentException>(() => InstrumentMaster.Create([Index(1, "A"), Index(1, "B")], UnderlyingMap.Default));
        Assert.Throws<ArgumentException>(() => InstrumentMaster.Create([Index(0, "A")], UnderlyingMap.Default));
    }

    [Theory]
    [InlineData("CE", InstrumentKind.Call)]
    [InlineData("pe", InstrumentKind.Put)]
    [InlineData("FUT", InstrumentKind.Future)]
    [InlineData("EQ", InstrumentKind.Underlying)]
    [InlineData("", InstrumentKind.Underlying)]
    [InlineData(null, InstrumentKind.Underlying)]
    public void Kind_follows_the_instrument_type(string? type, InstrumentKind kind)
    {
        Assert.Equal(kind, InstrumentMaster.KindOf(type));
    }

    [Fact]
    public void LoadOrSynthetic_uses_the_synthetic_master_without_a_path()
    {
        var time = new FixedTimeProvider(new DateTimeOffset(2025, 11, 21, 4, 0, 0, TimeSpan.Zero));

        var master = InstrumentMaster.LoadOrSynthetic(null, time);

        Assert.Equal(SyntheticMaster.Create(new DateOnly(2025, 11, 21)).Instruments, master.Instruments);
    }
}
