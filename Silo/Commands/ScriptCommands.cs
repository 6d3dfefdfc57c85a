using System.CommandLine;
using System.Diagnostics;

namespace Ticker.Silo.Commands;

/// <summary>
/// Subcommands carried out by scripts in <c>scripts/</c> (they install tools and drive <c>dotnet</c> itself).
/// <c>./ticker</c> runs those scripts directly; these entries list them in <c>--help</c> and forward to them
/// when the program is started some other way.
/// </summary>
internal static class ScriptCommands
{
    /// <summary>The <c>test</c> subcommand.</summary>
    public static Command Test() => Forward("test", "Install what the tests need (redis-server, promtool, Prometheus, Chromium) and run the whole test suite.", "test.sh");

    /// <summary>The <c>bench</c> subcommand.</summary>
    public static Command Bench() => Forward("bench", "Run the BenchmarkDotNet benchmarks and print their figures (bench [FILTER|redis]).", "bench.sh");

    private static Command Forward(string name, string description, string script)
    {
        var rest = new Argument<string[]>("args") { Arity = ArgumentArity.ZeroOrMore, Description = "Passed to the script." };
        var command = new Command(name, description) { rest };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parseResult =>
        {
            var root = Environment.GetEnvironmentVariable("TICKER_ROOT") ?? Directory.GetCurrentDirectory();
            var start = new ProcessStartInfo("bash") { UseShellExecute = false };
            start.ArgumentList.Add(Path.Combine(root, "scripts", script));
            foreach (var arg in parseResult.GetValue(rest) ?? [])
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            process.WaitForExit();
            return process.ExitCode;
        });
        return command;
    }
}
