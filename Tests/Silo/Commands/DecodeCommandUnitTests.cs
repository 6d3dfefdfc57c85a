using System.Text.Json;
using Ticker.Silo.Commands;
using Ticker.Tests.Protocol.Kite;

namespace Ticker.Tests.Silo.Commands;

public sealed class DecodeCommandUnitTests
{
    private const uint Index = 256265;
    private const uint Option = (12345u << 8) | 2; // 3160322

    [Fact]
    public void The_command_is_registered_as_decode() =>
        Assert.Contains(CommandCatalog.Create(), command => command.Name == "decode");

    [Fact]
    public void Ltp_packet_prints_the_four_ltp_fields()
    {
        var (exit, lines) = Run(Hex(KiteBytes.Message(KiteBytes.Ltp(Index, 2_401_250), KiteBytes.Ltp(Option, 29))));

        Assert.Equal(0, exit);
        Assert.Equal(
            [
                """{"tradable":false,"mode":"ltp","instrument_token":256265,"last_price":24012.5}""",
                """{"tradable":true,"mode":"ltp","instrument_token":3160322,"last_price":0.29}""",
            ],
            lines);
    }

    [Fact]
    public void Index_packets_print_ohlc_in_the_python_clients_order_with_change()
    {
        var message = KiteBytes.Message(
            KiteBytes.IndexQuote(Index, 2_412_000, 2_430_000, 2_380_000, 2_390_000, 2_400_000, rawChange: 99),
            KiteBytes.IndexFull(Index, 2_412_000, 2_430_000, 2_380_000, 2_390_000, 0, 99, 1_717_650_005));

        var (_, lines) = Run(Hex(message));

        Assert.Equal(
            [
                """{"tradable":false,"mode":"quote","instrument_token":256265,"last_price":24120,"ohlc":{"high":24300,"low":23800,"open":23900,"close":24000},"change":0.5}""",
                """{"tradable":false,"mode":"full","instrument_token":256265,"last_price":24120,"ohlc":{"high":24300,"low":23800,"open":23900,"close":0},"change":0,"exchange_timestamp":1717650005}""",
            ],
            lines);
    }

    [Fact]
    public void Tradable_quote_prints_quantities_ohlc_and_change()
    {
        var message = KiteBytes.Message(KiteBytes.Quote(Option, 16_720, 50, 22_276, 650_625, 36_675, 43_175, 26_000, 32_870, 16_540, 33_025));

        var (_, lines) = Run(Hex(message));

        Assert.Equal(
            """{"tradable":true,"mode":"quote","instrument_token":3160322,"last_price":167.2,"last_traded_quantity":50,"average_traded_price":222.76,"volume_traded":650625,"total_buy_quantity":36675,"total_sell_quantity":43175,"ohlc":{"open":260,"high":328.7,"low":165.4,"close":330.25},"change":-49.37168811506435}""",
            Assert.Single(lines));
    }

    [Fact]
    public void Full_packet_prints_timestamps_oi_and_depth()
    {
        var message = KiteBytes.Message(KiteDecoderUnitTests.FullPacket(Option, out _));

        var (_, lines) = Run(Hex(message));

        Assert.Equal(
            """
            {"tradable":true,"mode":"full","instrument_token":3160322,"last_price":167.2,"last_traded_quantity":50,"average_traded_price":222.76,
            "volume_traded":650625,"total_buy_quantity":36675,"total_sell_quantity":43175,"ohlc":{"open":260,"high":328.7,"low":165.4,"close":330.25},
            "change":-49.37168811506435,"last_trade_time":1717650002,"oi":114500,"oi_day_high":124350,"oi_day_low":49275,"exchange_timestamp":1717650005,
            "depth":{"buy":[{"quantity":100,"price":167,"orders":1},{"quantity":101,"price":167.05,"orders":2},{"quantity":102,"price":167.1,"orders":3},
            {"quantity":103,"price":167.15,"orders":4},{"quantity":104,"price":167.2,"orders":5}],
            "sell":[{"quantity":105,"price":167.25,"orders":6},{"quantity":106,"price":167.3,"orders":7},{"quantity":107,"price":167.35,"orders":8},
            {"quantity":108,"price":167.4,"orders":9},{"quantity":109,"price":167.45,"orders":10}]}}
            """.ReplaceLineEndings(string.Empty),
            Assert.Single(lines));
    }

    [Fact]
    public void Currency_prices_print_without_spurious_digits()
    {
        var message = KiteBytes.Message(KiteBytes.Ltp((1u << 8) | 3, 834_567_891), KiteBytes.Ltp((1u << 8) | 6, 834_567));

        var (_, lines) = Run(Hex(message));

        Assert.Equal(
            [
                """{"tradable":true,"mode":"ltp","instrument_token":259,"last_price":83.4567891}""",
                """{"tradable":true,"mode":"ltp","instrument_token":262,"last_price":83.4567}""",
            ],
            lines);
    }

    [Fact]
    public void Heartbeats_and_blank_lines_print_nothing_and_whitespace_around_a_line_is_ignored()
    {
        var ltp = Hex(KiteBytes.Message(KiteBytes.Ltp(Index, 100)));
        var input = $"00\n\n   \n\t{ltp.ToUpperInvariant()}  \r\nff\n";

        var (exit, lines) = Run(input);

        Assert.Equal(0, exit);
        Assert.Equal("""{"tradable":false,"mode":"ltp","instrument_token":256265,"last_price":1}""", Assert.Single(lines));
    }

    [Theory]
    [InlineData("000100080", "odd number")]
    [InlineData("00010008zz", "not hex")]
    [InlineData("00 01", "not hex")]
    public void Bad_hex_prints_one_error_line(string hex, string reason)
    {
        var (exit, lines) = Run(hex);

        Assert.Equal(1, exit);
        Assert.Contains(reason, ErrorOf(Assert.Single(lines)));
    }

    [Fact]
    public void A_malformed_message_prints_one_error_line_and_none_of_its_packets_then_decoding_goes_on()
    {
        var good = Hex(KiteBytes.Message(KiteBytes.Ltp(Index, 100)));
        var twoThenTruncated = KiteBytes.Message(KiteBytes.Ltp(Index, 200), KiteBytes.Ltp(Index, 300), KiteBytes.Ltp(Index, 400));
        var input = string.Join('\n',
            good,
            Hex(twoThenTruncated.AsSpan(0, twoThenTruncated.Length - 3).ToArray()),
            "0000" + "ff",
            Hex(KiteBytes.Message(new byte[10])),
            "0003",
            "0000",
            good);

        var (exit, lines) = Run(input);

        Assert.Equal(1, exit);
        Assert.Equal(6, lines.Length);
        Assert.Contains("last_price\":1}", lines[0]);
        Assert.StartsWith("line 2: TruncatedPacket", ErrorOf(lines[1]));
        Assert.Contains("announced: 3, decoded: 2", ErrorOf(lines[1]));
        Assert.StartsWith("line 3: TrailingBytes", ErrorOf(lines[2]));
        Assert.StartsWith("line 4: UnknownPacketLength", ErrorOf(lines[3]));
        Assert.StartsWith("line 5: TruncatedPacketLength", ErrorOf(lines[4]));
        // Line 6 announces no packets and prints nothing.
        Assert.Contains("last_price\":1}", lines[5]);
    }

    [Fact]
    public void A_count_with_missing_packets_is_reported()
    {
        var (exit, lines) = Run("0003");

        Assert.Equal(1, exit);
        Assert.StartsWith("line 1: TruncatedPacketLength", ErrorOf(Assert.Single(lines)));
    }

    [Fact]
    public void Every_truncation_of_a_valid_message_prints_exactly_one_error_line()
    {
        foreach (var message in KiteDecoderUnitTests.ValidMessages())
        {
            for (var cut = 2; cut < message.Length; cut++)
            {
                var (exit, lines) = Run(Hex(message.AsSpan(0, cut).ToArray()));
                Assert.Equal(1, exit);
                Assert.NotEmpty(ErrorOf(Assert.Single(lines)));
            }
        }
    }

    private static (int Exit, string[] Lines) Run(string input)
    {
        using var reader = new StringReader(input);
        using var writer = new StringWriter();
        var exit = DecodeCommand.Run(reader, writer);
        var output = writer.ToString();
        Assert.True(output.Length == 0 || output.EndsWith('\n'), "Every line ends with a newline.");
        return (exit, output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Asserts the line is exactly <c>{"error": string}</c> and returns the string.</summary>
    private static string ErrorOf(string line)
    {
        using var document = JsonDocument.Parse(line);
        var property = Assert.Single(document.RootElement.EnumerateObject());
        Assert.Equal("error", property.Name);
        return property.Value.GetString()!;
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
