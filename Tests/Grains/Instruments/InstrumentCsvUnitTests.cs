using System.Globalization;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Instruments;

namespace Ticker.Tests.Grains.Instruments;

public sealed class InstrumentCsvUnitTests
{
    private const string Header = "instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange";

    /// <summary>A slice shaped like Kite's dump: indices, equities, NFO futures and options, a BSE option, MCX.</summary>
    private const string Sample = Header + "\n"
        + "256265,1001,NIFTY 50,\"NIFTY 50\",24012.35,,0,0,0,EQ,INDICES,NSE\n"
        + "260105,1016,NIFTY BANK,\"NIFTY BANK\",51980.1,,0,0,0,EQ,INDICES,NSE\n"
        + "257801,1007,NIFTY FIN SERVICE,\"NIFTY FIN SERVICE\",0,,0,0,0,EQ,INDICES,NSE\n"
        + "738561,2885,RELIANCE,\"RELIANCE INDUSTRIES\",1290.5,,0,0.05,1,EQ,NSE,NSE\n"
        + "13238786,51714,NIFTY25DECFUT,\"NIFTY\",24150,2025-12-30,0,0.1,75,FUT,NFO-FUT,NFO\n"
        + "12680706,49534,NIFTY25D0224000PE,\"NIFTY\",112.4,2025-12-02,24000,0.05,75,PE,NFO-OPT,NFO\n"
        + "12680450,49533,NIFTY25D0224000CE,\"NIFTY\",130.75,2025-12-02,24000,0.05,75,CE,NFO-OPT,NFO\n"
        + "12679938,49531,NIFTY25D0223950CE,\"NIFTY\",160.2,2025-12-02,23950.0,0.05,75,CE,NFO-OPT,NFO\n"
        + "12713730,49663,NIFTY25DEC24000CE,\"NIFTY\",310,2025-12-30,24000,0.05,75,CE,NFO-OPT,NFO\n"
        + "9443842,36890,BANKNIFTY25DEC52000CE,\"BANKNIFTY\",650,2025-12-30,52000,0.05,35,CE,NFO-OPT,NFO\n"
        + "9443074,36887,RELIANCE25DEC1300CE,\"RELIANCE\",21.5,2025-12-30,1300,0.1,500,CE,NFO-OPT,NFO\n"
        + "209725445,819240,SENSEX25D0485000CE,\"SENSEX\",300,2025-12-04,85000,0.05,20,CE,BFO-OPT,BFO\n"
        + "\n"
        + "114187527,446045,CRUDEOIL25DECFUT,\"CRUDEOIL\",5120,2025-12-18,0,1,100,FUT,MCX-FUT,MCX\n";

    private static InstrumentMaster LoadSample() => InstrumentCsv.Load(new StringReader(Sample));

    [Fact]
    public void Loads_every_row_in_order_with_quoted_names_and_empty_expiries()
    {
        var master = LoadSample();

        Assert.Equal(13, master.Count);
        var index = master[0];
        Assert.Equal(256265u, index.InstrumentToken);
        Assert.Equal(1001u, index.ExchangeToken);
        Assert.Equal("NIFTY 50", index.TradingSymbol);
        Assert.Equal("NIFTY 50", index.Name);
        Assert.Equal(24012.35, index.LastPrice);
        Assert.Null(index.Expiry);
        Assert.Equal("INDICES", index.Segment);
        Assert.Equal("NSE", index.Exchange);
        Assert.Equal("RELIANCE INDUSTRIES", master[3].Name);

        var option = master[7];
        Assert.Equal("NIFTY25D0223950CE", option.TradingSymbol);
        Assert.Equal(new DateOnly(2025, 12, 2), option.Expiry);
        Assert.Equal(23950, option.Strike);
        Assert.Equal(0.05, option.TickSize);
        Assert.Equal(75, option.LotSize);
        Assert.Equal("NFO-OPT", option.Segment);
        Assert.Equal("CRUDEOIL25DECFUT", master[12].TradingSymbol);
        for (var id = 0; id < master.Count; id++)
        {
            Assert.Equal(id, master[id].Id);
            Assert.Same(master[id], master.Instruments[id]);
        }
    }

    [Fact]
    public void Derives_kinds_from_the_instrument_type()
    {
        var master = LoadSample();

        Assert.Equal(InstrumentKind.Underlying, master[0].Kind);
        Assert.Equal(InstrumentKind.Underlying, master[3].Kind);
        Assert.Equal(InstrumentKind.Future, master[4].Kind);
        Assert.Equal(InstrumentKind.Put, master[5].Kind);
        Assert.Equal(InstrumentKind.Call, master[6].Kind);
        Assert.True(master[6].IsOption);
        Assert.False(master[4].IsOption);
    }

    [Fact]
    public void Maps_derivatives_to_their_index_and_leaves_unmapped_ones_at_zero()
    {
        var master = LoadSample();

        Assert.Equal(256265u, master[4].UnderlyingToken);   // NIFTY future
        Assert.Equal(256265u, master[5].UnderlyingToken);   // NIFTY option
        Assert.Equal(260105u, master[9].UnderlyingToken);   // BANKNIFTY option
        Assert.Equal(0u, master[10].UnderlyingToken);       // RELIANCE: not in the default map
        Assert.Equal(0u, master[11].UnderlyingToken);       // SENSEX: not in the default map
        Assert.Equal(0u, master[0].UnderlyingToken);        // an index has none
        Assert.Equal(["NIFTY 50", "NIFTY BANK"], master.Underlyings.Select(u => u.TradingSymbol));
    }

    [Fact]
    public void A_custom_map_links_other_names()
    {
        var map = new UnderlyingMap(new Dictionary<string, string> { ["RELIANCE"] = "RELIANCE", ["NIFTY"] = "NIFTY 50" });

        var master = InstrumentCsv.Load(new StringReader(Sample), map);

        Assert.Equal(738561u, master[10].UnderlyingToken);
        Assert.Equal(0u, master[9].UnderlyingToken); // BANKNIFTY is not in this map
        Assert.True(master.TryGetUnderlying("reliance", out var reliance));
        Assert.Equal(738561u, reliance.InstrumentToken);
    }

    [Fact]
    public void Columns_are_found_by_header_name_in_any_order_and_extra_columns_are_ignored()
    {
        const string csv = "exchange,segment,instrument_type,lot_size,tick_size,strike,expiry,last_price,name,tradingsymbol,exchange_token,instrument_token,extra\n"
            + "NSE,INDICES,EQ,0,0,0,,24000,\"NIFTY 50\",NIFTY 50,1001,256265,x\n"
            + "NFO,NFO-OPT,PE,75,0.05,24000,2025-12-30,10,NIFTY,NIFTY25DEC24000PE,49664,12713986,y\n";

        var master = InstrumentCsv.Load(new StringReader(csv));

        Assert.Equal(2, master.Count);
        Assert.Equal(12713986u, master[1].InstrumentToken);
        Assert.Equal(InstrumentKind.Put, master[1].Kind);
        Assert.Equal(256265u, master[1].UnderlyingToken);
    }

    [Fact]
    public void Quoted_fields_may_hold_commas_and_doubled_quotes()
    {
        const string csv = Header + "\n"
            + "738561,2885,RELIANCE,\"RELIANCE, \"\"RIL\"\" LTD\",1290.5,,0,0.05,1,EQ,NSE,NSE\r\n";

        var master = InstrumentCsv.Load(new StringReader(csv));

        Assert.Equal("RELIANCE, \"RIL\" LTD", master[0].Name);
    }

    [Fact]
    public void Write_then_load_gives_the_same_instruments()
    {
        var master = LoadSample();
        var text = new StringWriter(CultureInfo.InvariantCulture);

        InstrumentCsv.Write(text, master.Instruments);
        var again = InstrumentCsv.Load(new StringReader(text.ToString()));

        Assert.StartsWith(Header + "\n", text.ToString(), StringComparison.Ordinal);
        Assert.Equal(master.Instruments, again.Instruments);
    }

    [Fact]
    public void Write_quotes_only_what_needs_quoting()
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        InstrumentCsv.Write(text,
        [
            new Instrument { InstrumentToken = 1, TradingSymbol = "NIFTY 50", Name = "A, B" },
            new Instrument { InstrumentToken = 2, TradingSymbol = "X", Name = "say \"hi\"" },
        ]);

        var lines = text.ToString().Split('\n');
        Assert.Equal("1,0,NIFTY 50,\"A, B\",0,,0,0,0,,,", lines[1]);
        Assert.Equal("2,0,X,\"say \"\"hi\"\"\",0,,0,0,0,,,", lines[2]);
    }

    [Fact]
    public void LoadFile_reads_a_file_and_names_it_in_errors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"instruments-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllText(path, Sample);
            Assert.Equal(13, InstrumentCsv.LoadFile(path).Count);

            File.WriteAllText(path, Header + "\n256265,1001,NIFTY 50,NIFTY 50,abc,,0,0,0,EQ,INDICES,NSE\n");
            var error = Assert.Throws<InstrumentCsvException>(() => InstrumentCsv.LoadFile(path));
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static TheoryData<string, int, string> MalformedRows => new()
    {
        { "x256265,1001,NIFTY 50,NIFTY 50,0,,0,0,0,EQ,INDICES,NSE", 1, "instrument_token" },
        { "-5,1001,NIFTY 50,NIFTY 50,0,,0,0,0,EQ,INDICES,NSE", 1, "instrument_token" },
        { "0,1001,NIFTY 50,NIFTY 50,0,,0,0,0,EQ,INDICES,NSE", 1, "instrument_token" },
        { "99999999999,1001,NIFTY 50,NIFTY 50,0,,0,0,0,EQ,INDICES,NSE", 1, "instrument_token" },
        { "256265,1.5,NIFTY 50,NIFTY 50,0,,0,0,0,EQ,INDICES,NSE", 2, "exchange_token" },
        { "256265,1001,,NIFTY 50,0,,0,0,0,EQ,INDICES,NSE", 3, "tradingsymbol" },
        { "256265,1001,NIFTY 50,NIFTY 50,twelve,,0,0,0,EQ,INDICES,NSE", 5, "last_price" },
        { "256265,1001,NIFTY 50,NIFTY 50,NaN,,0,0,0,EQ,INDICES,NSE", 5, "last_price" },
        { "12713730,49663,NIFTY25DEC24000CE,NIFTY,0,30-12-2025,24000,0.05,75,CE,NFO-OPT,NFO", 6, "expiry" },
        { "12713730,49663,NIFTY25DEC24000CE,NIFTY,0,2025-02-30,24000,0.05,75,CE,NFO-OPT,NFO", 6, "expiry" },
        { "12713730,49663,NIFTY25DEC24000CE,NIFTY,0,,24000,0.05,75,CE,NFO-OPT,NFO", 6, "expiry" },
        { "12713730,49663,NIFTY25DEC24000CE,NIFTY,0,2025-12-30,-24000,0.05,75,CE,NFO-OPT,NFO", 7, "strike" },
        { "12713730,49663,NIFTY25DEC24000CE,NIFTY,0,2025-12-30,0,0.05,75,CE,NFO-OPT,NFO", 7, "strike" },
        { "12713730,49663,NIFTY25DEC24000CE,NIFTY,0,2025-12-30,24000,0.05.1,75,CE,NFO-OPT,NFO", 8, "tick_size" },
        { "12713730,49663,NIFTY25DEC24000CE,NIFTY,0,2025-12-30,24000,0.05,75.5,CE,NFO-OPT,NFO", 9, "lot_size" },
        { "256265,1001,NIFTY 50,\"NIFTY 50,0,,0,0,0,EQ,INDICES,NSE", 4, "name" },
        { "256265,1001,NIFTY 50,\"NIFTY\" 50,0,,0,0,0,EQ,INDICES,NSE", 4, "name" },
        { "256265,1001,NIFTY 50,NIF\"TY,0,,0,0,0,EQ,INDICES,NSE", 4, "name" },
    };

    [Theory]
    [MemberData(nameof(MalformedRows))]
    public void A_malformed_row_names_its_line_and_column(string row, int column, string columnName)
    {
        var csv = Header + "\n260105,1016,NIFTY BANK,NIFTY BANK,0,,0,0,0,EQ,INDICES,NSE\n" + row + "\n";

        var error = Assert.Throws<InstrumentCsvException>(() => InstrumentCsv.Load(new StringReader(csv)));

        Assert.Equal(3, error.LineNumber);
        Assert.Equal(column, error.ColumnNumber);
        Assert.Equal(columnName, error.ColumnName);
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
        Assert.Contains($"column {column} ({columnName})", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("256265,1001,NIFTY 50,NIFTY 50,0,,0,0,0,EQ,INDICES")]
    [InlineData("256265,1001,NIFTY 50,NIFTY 50,0,,0,0,0,EQ,INDICES,NSE,extra")]
    public void A_row_with_the_wrong_number_of_fields_names_its_line(string row)
    {
        var csv = Header + "\n" + row + "\n";

        var error = Assert.Throws<InstrumentCsvException>(() => InstrumentCsv.Load(new StringReader(csv)));

        Assert.Equal(2, error.LineNumber);
        Assert.Null(error.ColumnName);
        Assert.Contains("expected 12 fields", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_token_names_both_lines()
    {
        var csv = Header + "\n"
            + "256265,1001,NIFTY 50,NIFTY 50,0,,0,0,0,EQ,INDICES,NSE\n"
            + "260105,1016,NIFTY BANK,NIFTY BANK,0,,0,0,0,EQ,INDICES,NSE\n"
            + "256265,1001,NIFTY 50 AGAIN,NIFTY 50,0,,0,0,0,EQ,INDICES,NSE\n";

        var error = Assert.Throws<InstrumentCsvException>(() => InstrumentCsv.Load(new StringReader(csv)));

        Assert.Equal(4, error.LineNumber);
        Assert.Equal("instrument_token", error.ColumnName);
        Assert.Contains("line 2", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_without_a_required_column_is_refused()
    {
        var csv = Header.Replace(",expiry", ",expiry_date", StringComparison.Ordinal) + "\n";

        var error = Assert.Throws<InstrumentCsvException>(() => InstrumentCsv.Load(new StringReader(csv)));

        Assert.Equal(1, error.LineNumber);
        Assert.Contains("'expiry'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_file_is_refused_and_a_header_alone_is_an_empty_master()
    {
        Assert.Throws<InstrumentCsvException>(() => InstrumentCsv.Load(new StringReader("")));

        var master = InstrumentCsv.Load(new StringReader("\uFEFF" + Header + "\n"));

        Assert.Equal(0, master.Count);
        Assert.Empty(master.Underlyings);
    }
}
