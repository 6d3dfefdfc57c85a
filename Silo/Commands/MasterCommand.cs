using System.CommandLine;
using System.Globalization;
using System.Text;
using Ticker.Grains.Instruments;

namespace Ticker.Silo.Commands;

/// <summary>
/// <c>ticker master [--out FILE] [--date YYYY-MM-DD]</c>: writes the synthetic instrument master as a Kite
/// instruments CSV, to inspect it or to feed <c>--master FILE</c> elsewhere.
/// </summary>
internal static class MasterCommand
{
    /// <summary>Creates the <c>master</c> subcommand.</summary>
    public static Command Create()
    {
        var output = new Option<string?>("--out", "-o")
        {
            Description = "Write the CSV to FILE instead of stdout.",
            HelpName = "FILE",
        };
        var date = new Option<string?>("--date")
        {
            Description = "The trading day the master is made for (default: today in India).",
            HelpName = "YYYY-MM-DD",
        };
        var command = new Command("master", "Write the synthetic instrument master (NIFTY/BANKNIFTY indices, futures and option chains) as Kite's instruments CSV.")
        {
            output,
            date,
        };
        command.SetAction(parseResult => Run(parseResult.GetValue(output), parseResult.GetValue(date), TimeProvider.System));
        return command;
    }

    /// <summary>Writes the master; returns the process exit code.</summary>
    /// <param name="outputPath">The file to write, or null for stdout.</param>
    /// <param name="dateText">The trading day as YYYY-MM-DD, or null for today in India.</param>
    /// <param name="time">The clock deciding today.</param>
    internal static int Run(string? outputPath, string? dateText, TimeProvider time)
    {
        DateOnly day;
        if (dateText is null)
        {
            day = SyntheticMaster.TodayInIndia(time);
        }
        else if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            Console.Error.WriteLine($"master: --date '{dateText}' is not a date in the form YYYY-MM-DD");
            return 2;
        }

        var master = SyntheticMaster.Create(day);
        try
        {
            if (string.IsNullOrEmpty(outputPath) || outputPath == "-")
            {
                using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16);
                InstrumentCsv.Write(stdout, master.Instruments);
            }
            else
            {
                using var file = new StreamWriter(outputPath, append: false, new UTF8Encoding(false), 1 << 16);
                InstrumentCsv.Write(file, master.Instruments);
                Console.Error.WriteLine($"master: wrote {master.Count} instruments for {day:yyyy-MM-dd} to {outputPath}");
            }
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine($"master: cannot write {outputPath ?? "stdout"}: {ex.Message}");
            return 1;
        }
        catch (UnauthorizedAccessException ex)
        {
            Console.Error.WriteLine($"master: cannot write {outputPath}: {ex.Message}");
            return 1;
        }

        return 0;
    }
}
