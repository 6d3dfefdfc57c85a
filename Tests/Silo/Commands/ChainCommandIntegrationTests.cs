using System.Globalization;
using System.Text.Json;
using Ticker.Silo.Commands;
using Ticker.Tests.Client.Library;

namespace Ticker.Tests.Silo.Commands;

/// <summary><c>ticker chain</c>'s core, called with writers, against a real silo's state in a real redis-server.</summary>
[Collection(TickerSiloCollection.Name)]
public sealed class ChainCommandIntegrationTests(TickerSiloFixture silo)
{
    [Fact]
    public async Task Json_is_the_http_apis_chain_byte_for_byte()
    {
        var (code, output, error) = await RunAsync(new ChainCommand.Arguments("nifty", null, silo.Server.ConnectionString, Json: true));

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, error);
        Assert.Equal(await silo.Http.GetStringAsync("/api/chain/NIFTY"), output.TrimEnd('\n'));

        var expiry = TickerSiloFixture.Master.Expiries(Ticker.Grains.Instruments.SyntheticMaster.NiftyBankToken)[0].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        (code, output, _) = await RunAsync(new ChainCommand.Arguments("NIFTY BANK", expiry, silo.Server.ConnectionString, Json: true));
        Assert.Equal(0, code);
        Assert.Equal(await silo.Http.GetStringAsync($"/api/chain/BANKNIFTY?expiry={expiry}"), output.TrimEnd('\n'));
    }

    [Fact]
    public async Task The_table_has_aligned_columns_marks_the_atm_row_and_has_no_colour_codes_unless_asked()
    {
        var (code, output, error) = await RunAsync(new ChainCommand.Arguments("NIFTY", null, silo.Server.ConnectionString, Json: false, Strikes: 5));

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, error);
        Assert.DoesNotContain('\u001b', output);
        var lines = output.Split('\n');
        using var http = JsonDocument.Parse(await silo.Http.GetStringAsync("/api/chain/NIFTY"));
        var spot = http.RootElement.GetProperty("underlying_price").GetDouble();
        Assert.StartsWith($"NIFTY 50 (256265)  spot {spot.ToString("F2", CultureInfo.InvariantCulture)}  expiry {http.RootElement.GetProperty("expiry").GetString()}", lines[0]);
        Assert.Contains("CALLS", lines[2]);
        Assert.Contains("PUTS", lines[2]);
        var header = lines[3];
        Assert.Matches(@"^\s*OI\s+vega\s+theta\s+gamma\s+delta\s+IV %\s+price\s+STRIKE\s+price\s+IV %\s+delta\s+gamma\s+theta\s+vega\s+OI$", header);

        // 5 strikes each side of the money: 11 rows, every one as wide as the header (numbers align right).
        var rows = lines.Skip(5).TakeWhile(l => l.Length > 0).ToList();
        Assert.Equal(11, rows.Count);
        Assert.All(rows, r => Assert.Equal(header.Length, r.Length));
        var atm = Assert.Single(rows, r => r.Contains("> ", StringComparison.Ordinal));
        Assert.Same(rows[5], atm);
        var strikes = http.RootElement.GetProperty("strikes").EnumerateArray().Select(s => s.GetProperty("strike").GetDouble()).ToList();
        var atmStrike = strikes.MinBy(s => Math.Abs(s - spot));
        Assert.Contains($"> {atmStrike.ToString("0.##", CultureInfo.InvariantCulture)} <", atm);

        // The ATM call's price and OI as the HTTP API has them.
        var atmCall = http.RootElement.GetProperty("strikes").EnumerateArray().Single(s => s.GetProperty("strike").GetDouble() == atmStrike).GetProperty("call");
        if (atmCall.ValueKind == JsonValueKind.Object)
        {
            Assert.Contains(atmCall.GetProperty("last_price").GetDouble().ToString("F2", CultureInfo.InvariantCulture), atm);
            Assert.StartsWith(atmCall.GetProperty("oi").GetInt64().ToString("N0", CultureInfo.InvariantCulture), atm.TrimStart());
        }

        Assert.Contains("options have ticked", lines[^2]);

        (code, output, _) = await RunAsync(new ChainCommand.Arguments("NIFTY", null, silo.Server.ConnectionString, Json: false, Strikes: 1), color: true);
        Assert.Equal(0, code);
        Assert.Contains("\u001b[1m", output);
        Assert.Single(output.Split('\n'), l => l.StartsWith("\u001b[1m", StringComparison.Ordinal) && l.EndsWith("\u001b[0m", StringComparison.Ordinal) && l.Contains("> ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unknown_underlying_or_expiry_exits_1_with_a_message()
    {
        var (code, output, error) = await RunAsync(new ChainCommand.Arguments("SENSEX", null, silo.Server.ConnectionString, Json: false));
        Assert.Equal(1, code);
        Assert.Equal(string.Empty, output);
        Assert.Contains("Unknown underlying 'SENSEX'", error);

        (code, output, error) = await RunAsync(new ChainCommand.Arguments("NIFTY", "2001-01-01", silo.Server.ConnectionString, Json: true));
        Assert.Equal(1, code);
        Assert.Equal(string.Empty, output);
        Assert.Contains("expire on 2001-01-01", error);
        Assert.DoesNotContain("Parameter", error);

        (code, _, error) = await RunAsync(new ChainCommand.Arguments("NIFTY", "01/02/2030", silo.Server.ConnectionString, Json: true));
        Assert.Equal(2, code);
        Assert.Contains("YYYY-MM-DD", error);
    }

    [Fact]
    public async Task Unreachable_redis_exits_1_with_a_message()
    {
        var port = TickerClientIntegrationTests.FreePort();

        var (code, output, error) = await RunAsync(new ChainCommand.Arguments("NIFTY", null, $"127.0.0.1:{port},connectTimeout=2000", Json: false));

        Assert.Equal(1, code);
        Assert.Equal(string.Empty, output);
        Assert.StartsWith($"chain: cannot reach Redis at 127.0.0.1:{port}", error);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(ChainCommand.Arguments arguments, bool color = false)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var code = await ChainCommand.RunAsync(arguments, output, error, color, TimeProvider.System, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
