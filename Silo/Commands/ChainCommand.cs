using System.Buffers;
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ticker.Client.Library;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Pricing;
using Ticker.Grains.Interfaces.Snapshots;
using StackExchange.Redis;
using Ticker.Protocol.Redis;
using Ticker.Silo.Http;

namespace Ticker.Silo.Commands;

/// <summary>
/// <c>ticker chain NIFTY [--expiry DATE] --redis CONN [--json] [--strikes N] [--master FILE]</c>: reads an option
/// chain from Redis with the client library and prints it as an aligned table (calls left, strike in the middle,
/// puts right, the at-the-money row marked) or, with <c>--json</c>, as the HTTP API's <c>/api/chain</c> JSON.
/// </summary>
internal static class ChainCommand
{
    /// <summary>The environment variable read when <c>--redis</c> is not given (the silo's configuration key).</summary>
    public const string RedisEnvironmentVariable = "TICKER_Redis__ConnectionString";

    private const string Bold = "\u001b[1m";
    private const string Reset = "\u001b[0m";
    private const string Missing = "-";

    private static readonly string[] SideHeaders = ["price", "IV %", "delta", "gamma", "theta", "vega", "OI"];

    /// <summary>Creates the <c>chain</c> subcommand.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        var underlying = new Argument<string>("underlying")
        {
            Description = "NIFTY, BANKNIFTY, or an index tradingsymbol such as \"NIFTY 50\" (case-insensitive).",
        };
        var expiry = new Option<string?>("--expiry")
        {
            Description = "Expiry date (default: the nearest on or after today in India).",
            HelpName = "YYYY-MM-DD",
        };
        var redis = CommonOptions.Redis();
        var json = new Option<bool>("--json") { Description = "Print the chain as JSON (the fields of the HTTP API's /api/chain)." };
        var strikes = new Option<int?>("--strikes")
        {
            Description = "Show only this many strikes on each side of the at-the-money strike (default: all).",
            HelpName = "N",
        };
        var master = CommonOptions.Master();
        var command = new Command("chain", "Print an option chain (price, IV, Greeks, OI per strike) read from Redis.")
        {
            underlying,
            expiry,
            redis,
            json,
            strikes,
            master,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            new Arguments(
                parseResult.GetValue(underlying)!,
                parseResult.GetValue(expiry),
                parseResult.GetValue(redis) ?? Environment.GetEnvironmentVariable(RedisEnvironmentVariable),
                parseResult.GetValue(json),
                parseResult.GetValue(strikes),
                parseResult.GetValue(master)),
            Console.Out,
            Console.Error,
            UseColor(),
            TimeProvider.System,
            cancellationToken));
        return command;
    }

    /// <summary>Reads the chain and prints it; returns the exit code (0 ok, 1 unreachable or unknown, 2 bad usage).</summary>
    /// <param name="arguments">What to read and how to print it.</param>
    /// <param name="output">Where the chain goes (stdout).</param>
    /// <param name="error">Where errors go (stderr).</param>
    /// <param name="color">Whether to mark the at-the-money row with ANSI bold (only for a terminal).</param>
    /// <param name="time">The clock deciding today (the default expiry, the synthetic master).</param>
    /// <param name="cancellationToken">Stops waiting for Redis.</param>
    /// <returns>The exit code.</returns>
    internal static async Task<int> RunAsync(
        Arguments arguments, TextWriter output, TextWriter error, bool color, TimeProvider time, CancellationToken cancellationToken)
    {
        DateOnly? expiry = null;
        if (!string.IsNullOrEmpty(arguments.Expiry))
        {
            if (!DateOnly.TryParseExact(arguments.Expiry, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                await error.WriteLineAsync($"chain: --expiry '{arguments.Expiry}' is not a date in the form YYYY-MM-DD");
                return 2;
            }

            expiry = date;
        }

        if (string.IsNullOrWhiteSpace(arguments.Redis))
        {
            await error.WriteLineAsync($"chain: --redis CONN is required (or set {RedisEnvironmentVariable})");
            return 2;
        }

        if (arguments.Strikes is < 0)
        {
            await error.WriteLineAsync("chain: --strikes must be 0 or more");
            return 2;
        }

        InstrumentMaster master;
        try
        {
            master = InstrumentMaster.LoadOrSynthetic(arguments.MasterFile?.FullName, time);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InstrumentCsvException)
        {
            await error.WriteLineAsync($"chain: cannot load the instrument master {arguments.MasterFile?.FullName}: {ex.Message}");
            return 1;
        }

        ConfigurationOptions redisOptions;
        try
        {
            redisOptions = ConfigurationOptions.Parse(arguments.Redis);
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync($"chain: --redis: {ex.Message}");
            return 2;
        }

        var endpoint = RedisConfiguration.Describe(redisOptions);
        TickerClient client;
        try
        {
            client = await TickerClient.ConnectAsync(redisOptions, master, new TickerClientOptions { TimeProvider = time }, cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            // The client's own message repeats the endpoint: print StackExchange.Redis' reason.
            await error.WriteLineAsync($"chain: cannot reach Redis at {endpoint}: {(ex.InnerException as RedisException ?? ex).Message}");
            return 1;
        }

        await using (client)
        {
            OptionChain chain;
            try
            {
                chain = await client.GetOptionChainAsync(arguments.Underlying, expiry, cancellationToken);
            }
            catch (ArgumentException ex)
            {
                await error.WriteLineAsync($"chain: {TrimParameterName(ex)}");
                return 1;
            }
            catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
            {
                await error.WriteLineAsync($"chain: reading from Redis at {endpoint} failed: {ex.Message}");
                return 1;
            }

            chain = Around(chain, arguments.Strikes);
            if (arguments.Json)
            {
                WriteJson(output, chain, master);
            }
            else
            {
                WriteTable(output, chain, color);
            }
        }

        await output.FlushAsync(cancellationToken);
        return 0;
    }

    /// <summary>Writes the chain as an aligned text table.</summary>
    /// <param name="output">The writer.</param>
    /// <param name="chain">The chain.</param>
    /// <param name="color">Whether to mark the at-the-money row with ANSI bold as well.</param>
    internal static void WriteTable(TextWriter output, OptionChain chain, bool color)
    {
        var atm = chain.AtmStrike;
        var cells = new List<string[]>(chain.Rows.Count);
        var ticked = 0;
        var listed = 0;
        foreach (var row in chain.Rows)
        {
            var call = Side(row.Call);
            var put = Side(row.Put);
            listed += (row.CallToken != 0 || row.Call is not null ? 1 : 0) + (row.PutToken != 0 || row.Put is not null ? 1 : 0);
            ticked += (row.Call is null ? 0 : 1) + (row.Put is null ? 0 : 1);
            var strike = row.Strike.ToString("0.##", CultureInfo.InvariantCulture);
            var strikeCell = row.Strike == atm ? $"> {strike} <" : $"  {strike}  ";
            string[] line = [.. call.Reverse(), strikeCell, .. put];
            cells.Add(line);
        }

        string[] header = [.. SideHeaders.Reverse(), "STRIKE", .. SideHeaders];
        var widths = new int[header.Length];
        for (var c = 0; c < header.Length; c++)
        {
            widths[c] = header[c].Length;
            foreach (var line in cells)
            {
                widths[c] = Math.Max(widths[c], line[c].Length);
            }
        }

        var sides = SideHeaders.Length;
        var sideWidth = 0;
        for (var c = 0; c < sides; c++)
        {
            sideWidth += widths[c] + 2;
        }

        var price = chain.UnderlyingPrice is { } p ? p.ToString("F2", CultureInfo.InvariantCulture) : "no tick yet";
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{chain.Underlying} ({chain.UnderlyingToken})  spot {price}  expiry {chain.Expiry:yyyy-MM-dd}  ATM {(atm is { } a ? a.ToString("0.##", CultureInfo.InvariantCulture) : "-")}"));
        output.WriteLine();
        var strikeWidth = widths[sides];
        output.WriteLine((Center("CALLS", sideWidth - 2) + "  " + new string(' ', strikeWidth) + "  " + Center("PUTS", sideWidth - 2)).TrimEnd());
        WriteLine(output, header, widths, strikeColumn: sides);
        WriteLine(output, [.. widths.Select(w => new string('-', w))], widths, strikeColumn: sides);
        for (var r = 0; r < cells.Count; r++)
        {
            var isAtm = chain.Rows[r].Strike == atm;
            if (isAtm && color)
            {
                output.Write(Bold);
            }

            WriteLine(output, cells[r], widths, strikeColumn: sides, newline: !(isAtm && color));
            if (isAtm && color)
            {
                output.WriteLine(Reset);
            }
        }

        output.WriteLine();
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{chain.Rows.Count} strikes, {ticked} of {listed} options have ticked. '-': no tick yet, or IV undefined (see iv_status in --json). theta per day, vega per vol point."));
    }

    /// <summary>Writes the chain as one line of JSON, with the field names of the HTTP API's <c>/api/chain</c>.</summary>
    /// <param name="output">The writer.</param>
    /// <param name="chain">The chain.</param>
    /// <param name="master">Gives each side its tradingsymbol.</param>
    internal static void WriteJson(TextWriter output, OptionChain chain, InstrumentMaster master)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            OptionChainJson.Write(json, chain, master);
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>Whether stdout is a terminal that wants colour (not redirected, <c>NO_COLOR</c> unset, <c>TERM</c> not dumb).</summary>
    /// <returns>True for colour.</returns>
    internal static bool UseColor() =>
        !Console.IsOutputRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
        && !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);

    private static OptionChain Around(OptionChain chain, int? strikes)
    {
        if (strikes is not { } n || chain.AtmStrike is not { } atm)
        {
            return chain;
        }

        var rows = chain.Rows;
        var centre = 0;
        while (rows[centre].Strike != atm)
        {
            centre++;
        }

        var first = Math.Max(0, centre - n);
        var last = Math.Min(rows.Count - 1, centre + n);
        return chain with { Rows = [.. rows.Skip(first).Take(last - first + 1)] };
    }

    private static string[] Side(InstrumentSnapshot? snapshot)
    {
        if (snapshot is not { } s)
        {
            return [Missing, Missing, Missing, Missing, Missing, Missing, Missing];
        }

        var ok = s.IvStatus == IvStatus.Ok;
        return
        [
            s.LastPrice.ToString("F2", CultureInfo.InvariantCulture),
            ok ? (s.Iv * 100).ToString("F2", CultureInfo.InvariantCulture) : Missing,
            ok ? s.Greeks.Delta.ToString("F3", CultureInfo.InvariantCulture) : Missing,
            ok ? s.Greeks.Gamma.ToString("F5", CultureInfo.InvariantCulture) : Missing,
            ok ? s.Greeks.Theta.ToString("F2", CultureInfo.InvariantCulture) : Missing,
            ok ? s.Greeks.Vega.ToString("F2", CultureInfo.InvariantCulture) : Missing,
            s.Oi.ToString("N0", CultureInfo.InvariantCulture),
        ];
    }

    private static void WriteLine(TextWriter output, string[] cells, int[] widths, int strikeColumn, bool newline = true)
    {
        var line = new StringBuilder(widths.Sum() + (2 * widths.Length));
        for (var c = 0; c < cells.Length; c++)
        {
            if (c > 0)
            {
                line.Append("  ");
            }

            // Numbers align right; the strike column is centred so the ATM markers sit symmetrically.
            line.Append(c == strikeColumn ? Center(cells[c], widths[c]) : cells[c].PadLeft(widths[c]));
        }

        var text = line.ToString().TrimEnd();
        if (newline)
        {
            output.WriteLine(text);
        }
        else
        {
            output.Write(text);
        }
    }

    private static string Center(string text, int width)
    {
        var left = Math.Max(0, (width - text.Length) / 2);
        return text.PadLeft(text.Length + left).PadRight(width);
    }

    private static string TrimParameterName(ArgumentException ex) =>
        ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal);

    /// <summary>What <c>chain</c> was asked for.</summary>
    /// <param name="Underlying">The underlying name or symbol.</param>
    /// <param name="Expiry">The expiry as YYYY-MM-DD, or null for the nearest.</param>
    /// <param name="Redis">The Redis connection string.</param>
    /// <param name="Json">Print JSON instead of the table.</param>
    /// <param name="Strikes">Strikes each side of the money to show, or null for all.</param>
    /// <param name="MasterFile">A Kite instruments CSV, or null for the synthetic master.</param>
    internal sealed record Arguments(string Underlying, string? Expiry, string? Redis, bool Json, int? Strikes = null, FileInfo? MasterFile = null);
}
