using System.Text.Json;
using Ticker.Grains.Interfaces.Pricing;
using Ticker.Grains.Pricing;
using Ticker.Silo.Commands;

namespace Ticker.Tests.Silo.Commands;

public sealed class GreeksCommandUnitTests
{
    private static readonly string[] ResultFields = ["price", "iv", "delta", "gamma", "vega", "theta", "rho"];

    [Fact]
    public void Prices_with_sigma_and_solves_with_price_one_line_per_input_in_order()
    {
        var (exitCode, lines, bad) = Run(
            """{"type":"call","spot":42,"strike":40,"t":0.5,"r":0.1,"sigma":0.2}""",
            """{"type":"put","spot":23500,"strike":24000,"t":0.019178082191780823,"r":0.065,"q":0.012,"price":511.45842234516735}""",
            """{"t":0.5,"price":4.759422392871535,"strike":40,"r":0.1,"spot":42,"type":"call"}""");

        Assert.Equal(0, exitCode);
        Assert.Equal(0, bad);
        Assert.Equal(3, lines.Length);

        // Hull's example priced: iv echoes sigma, Greeks in the documented scalings.
        var priced = lines[0].RootElement;
        Assert.Equal(ResultFields, priced.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.2, priced.GetProperty("iv").GetDouble());
        Assert.Equal(4.7594223928715333951, priced.GetProperty("price").GetDouble(), 1e-12);
        Assert.Equal(0.7791312909426689359, priced.GetProperty("delta").GetDouble(), 1e-12);
        Assert.Equal(0.088134150596028514411, priced.GetProperty("vega").GetDouble(), 1e-12);
        Assert.Equal(-0.012490663546829114336, priced.GetProperty("theta").GetDouble(), 1e-12);
        Assert.Equal(0.13982045913360280956, priced.GetProperty("rho").GetDouble(), 1e-12);

        // Solved: the IV, then Greeks at that IV (matching a direct computation).
        var solved = lines[1].RootElement;
        Assert.Equal(0.14, solved.GetProperty("iv").GetDouble(), 1e-10);
        var expected = default(Greeks);
        BlackScholes.Compute(OptionRight.Put, 23500, 24000, 0.019178082191780823, 0.065, 0.012, solved.GetProperty("iv").GetDouble(), ref expected);
        Assert.Equal(expected.Delta, solved.GetProperty("delta").GetDouble());
        Assert.Equal(expected.Gamma, solved.GetProperty("gamma").GetDouble());
        Assert.Equal(511.45842234516735, solved.GetProperty("price").GetDouble(), 1e-9);

        // Field order does not matter; r and q default to 0 (q absent here).
        Assert.Equal(0.2, lines[2].RootElement.GetProperty("iv").GetDouble(), 1e-10);
    }

    [Theory]
    [InlineData("""{"type":"call","spot":100,"strike":90,"t":0.5,"price":5}""", "price below intrinsic value")]
    [InlineData("""{"type":"put","spot":100,"strike":90,"t":0.5,"r":0.05,"price":95}""", "price at or above the no-arbitrage upper bound")]
    [InlineData("""{"type":"call","spot":100,"strike":90,"t":0,"price":15}""", "option has expired (t <= 0)")]
    [InlineData("""{"type":"call","spot":100,"strike":90,"t":-0.1,"sigma":0.2}""", "option has expired (t <= 0)")]
    public void Undefined_volatility_gives_nulls_and_an_error(string line, string error)
    {
        var (exitCode, lines, _) = Run(line);
        Assert.Equal(0, exitCode);
        var root = Assert.Single(lines).RootElement;
        foreach (var field in ResultFields)
        {
            Assert.Equal(JsonValueKind.Null, root.GetProperty(field).ValueKind);
        }

        Assert.Equal(error, root.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("not json", "invalid JSON")]
    [InlineData("", "empty line")]
    [InlineData("[1,2]", "expected a JSON object")]
    [InlineData("""{"type":"call","spot":100,"strike":90,"t":0.5,"price":5""", "invalid JSON")]
    [InlineData("""{"type":"call","spot":100,"strike":90,"t":0.5,"price":5} {}""", "invalid JSON")]
    [InlineData("""{"type":"call","strike":90,"t":0.5,"price":5}""", "missing field \"spot\"")]
    [InlineData("""{"type":"call","spot":100,"strike":90,"price":5}""", "missing field \"t\"")]
    [InlineData("""{"spot":100,"strike":90,"t":0.5,"price":5}""", "missing field \"type\"")]
    [InlineData("""{"type":"call","spot":"100","strike":90,"t":0.5,"price":5}""", "\"spot\" must be a finite number")]
    [InlineData("""{"type":"call","spot":100,"strike":null,"t":0.5,"price":5}""", "\"strike\" must be a finite number")]
    [InlineData("""{"type":"call","spot":1e400,"strike":90,"t":0.5,"price":5}""", "\"spot\" must be a finite number")]
    [InlineData("""{"type":"CALL","spot":100,"strike":90,"t":0.5,"price":5}""", "\"type\" must be \"call\" or \"put\"")]
    [InlineData("""{"type":"call","spot":100,"strike":90,"t":0.5}""", "give exactly one of")]
    [InlineData("""{"type":"call","spot":100,"strike":90,"t":0.5,"price":5,"sigma":0.2}""", "give exactly one of")]
    [InlineData("""{"type":"call","spot":100,"strike":90,"t":0.5,"rate":0.05,"price":5}""", "unknown field \"rate\"")]
    [InlineData("""{"type":"call","spot":100,"spot":101,"strike":90,"t":0.5,"price":5}""", "duplicate field \"spot\"")]
    [InlineData("""{"type":"call","spot":-100,"strike":90,"t":0.5,"price":5}""", "\"spot\" must be positive")]
    [InlineData("""{"type":"call","spot":100,"strike":0,"t":0.5,"price":5}""", "\"strike\" must be positive")]
    [InlineData("""{"type":"call","spot":100,"strike":90,"t":0.5,"sigma":0}""", "\"sigma\" must be positive")]
    [InlineData("""{"type":"call","spot":100,"strike":90,"t":0.5,"price":-1}""", "\"price\" must not be negative")]
    public void Bad_lines_get_an_error_object_and_do_not_stop_the_stream(string line, string error)
    {
        var good = """{"type":"call","spot":42,"strike":40,"t":0.5,"r":0.1,"sigma":0.2}""";
        var (exitCode, lines, bad) = Run(good, line, good);

        Assert.Equal(1, exitCode);
        Assert.Equal(1, bad);
        Assert.Equal(3, lines.Length);
        var root = lines[1].RootElement;
        Assert.Equal("error", Assert.Single(root.EnumerateObject()).Name);
        Assert.StartsWith(error, root.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(lines[0].RootElement.GetRawText(), lines[2].RootElement.GetRawText());
    }

    [Fact]
    public void Flushes_after_every_line()
    {
        using var input = new StringReader("""{"type":"call","spot":42,"strike":40,"t":0.5,"sigma":0.2}""" + "\n" + """{"type":"put","spot":42,"strike":40,"t":0.5,"sigma":0.2}""");
        using var output = new FlushCountingWriter();
        GreeksCommand.Run(input, output, out _);
        Assert.Equal(2, output.LinesAtFlush.Count);
        Assert.Equal([1, 2], output.LinesAtFlush);
    }

    private static (int ExitCode, JsonDocument[] Lines, int Bad) Run(params string[] input)
    {
        using var reader = new StringReader(string.Join('\n', input));
        using var writer = new StringWriter();
        var exitCode = GreeksCommand.Run(reader, writer, out var bad);
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l)).ToArray();
        return (exitCode, lines, bad);
    }

    private sealed class FlushCountingWriter : StringWriter
    {
        public List<int> LinesAtFlush { get; } = [];

        public override void Flush()
        {
            LinesAtFlush.Add(ToString().Count(c => c == '\n'));
            base.Flush();
        }
    }
}
