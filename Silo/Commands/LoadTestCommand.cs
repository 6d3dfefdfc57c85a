using System.CommandLine;
using System.Globalization;
using Ticker.Silo.LoadTest;

namespace Ticker.Silo.Commands;

/// <summary><c>./ticker loadtest [SCENARIO]</c>: runs silo and feed processes against Redis and reports throughput, latency, memory.</summary>
internal static class LoadTestCommand
{
    /// <summary>Creates the subcommand.</summary>
    public static Command Create()
    {
        var scenario = new Argument<string?>("scenario") { Description = $"One of {string.Join(", ", LoadTestScenarios.Names)} (default: all).", Arity = ArgumentArity.ZeroOrOne };
        var redis = new Option<string?>("--redis") { Description = "Redis to use (only tick:* keys are deleted); default: a redis-server started for the run." };
        var full = new Option<bool>("--full") { Description = "The issue's durations (sustained: 10 minutes)." };
        var quick = new Option<bool>("--quick") { Description = "A few seconds per scenario (the test suite's)." };
        var output = new Option<string?>("--out") { Description = "Report directory (default artifacts/loadtest/<timestamp>).", HelpName = "DIR" };
        var baseline = new Option<string?>("--baseline") { Description = "A saved summary.json; exit 3 on a regression.", HelpName = "FILE" };
        var command = new Command("loadtest", "Load-test a silo process fed by a feed process through Redis; write summary.json, summary.md and SVG charts.")
        {
            scenario, redis, full, quick, output, baseline,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(full) && parse.GetValue(quick))
            {
                await Console.Error.WriteLineAsync("loadtest: --full and --quick exclude each other.");
                return 2;
            }

            var root = Environment.GetEnvironmentVariable("TICKER_ROOT") ?? Directory.GetCurrentDirectory();
            var options = new LoadTestOptions
            {
                Scenario = parse.GetValue(scenario),
                Redis = parse.GetValue(redis),
                Mode = parse.GetValue(full) ? LoadTestMode.Full : parse.GetValue(quick) ? LoadTestMode.Quick : LoadTestMode.Default,
                OutputDirectory = parse.GetValue(output) ?? Path.Combine(root, "artifacts", "loadtest", TimeProvider.System.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)),
                Baseline = parse.GetValue(baseline),
            };
            using var signals = new CommandSignals(cancellationToken);
            return await LoadTestRunner.RunAsync(options, Console.Out, Console.Error, [], signals.Token);
        });
        return command;
    }
}
