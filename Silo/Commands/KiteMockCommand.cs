using System.CommandLine;
using Ticker.Grains.Instruments;
using Ticker.Silo.KiteMock;

namespace Ticker.Silo.Commands;

/// <summary><c>./ticker kite-mock</c>: a Kite-compatible ticker on loopback, with fault controls.</summary>
internal static class KiteMockCommand
{
    /// <summary>Creates the subcommand.</summary>
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Loopback port (0: any free port).", DefaultValueFactory = static _ => KiteMockOptions.DefaultPort };
        var apiKey = new Option<string>("--api-key") { Description = "The only API key accepted.", DefaultValueFactory = static _ => KiteMockOptions.DefaultApiKey };
        var accessToken = new Option<string>("--access-token") { Description = "The only access token accepted.", DefaultValueFactory = static _ => KiteMockOptions.DefaultAccessToken };
        var instruments = new Option<int?>("--instruments") { Description = "Serve the first N instruments of the master (default: all)." };
        var rate = new Option<double?>("--rate") { Description = $"Instrument updates per second (default {KiteMockOptions.DefaultRate})." };
        var master = CommonOptions.Master();
        var duration = CommonOptions.Duration();
        var command = new Command("kite-mock", "Serve the Kite ticker protocol on ws://127.0.0.1:PORT/ from the synthetic market, with fault injection under /control/.")
        {
            port, apiKey, accessToken, instruments, rate, master, duration,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new KiteMockOptions
            {
                Port = parse.GetValue(port),
                ApiKey = parse.GetValue(apiKey)!,
                AccessToken = parse.GetValue(accessToken)!,
                Instruments = parse.GetValue(instruments) ?? 0,
                Rate = parse.GetValue(rate) ?? KiteMockOptions.DefaultRate,
            };
            if (parse.GetValue(master) is { } file)
            {
                try
                {
                    options.Master = InstrumentCsv.LoadFile(file.FullName);
                }
                catch (Exception ex) when (ex is IOException or InstrumentCsvException or UnauthorizedAccessException)
                {
                    await Console.Error.WriteLineAsync($"kite-mock: cannot load the instrument master: {ex.Message}").ConfigureAwait(false);
                    return 2;
                }
            }

            using var loggers = CommandLogging.Create();
            using var signals = new CommandSignals(cancellationToken);
            KiteMockServer server;
            try
            {
                server = await KiteMockServer.StartAsync(options, loggers, signals.Token).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                await Console.Error.WriteLineAsync($"kite-mock: cannot listen on port {options.Port}: {ex.Message}").ConfigureAwait(false);
                return 2;
            }

            await using (server.ConfigureAwait(false))
            {
                var control = server.ControlUrl;
                Console.Out.WriteLine($"kite-mock: serving {server.Market.Tokens.Count} instruments on {server.Url} (api_key={options.ApiKey} access_token={options.AccessToken})");
                Console.Out.WriteLine($"kite-mock: faults: curl -X POST {control}drop | {control}stall?seconds=S | {control}garbage?count=N | {control}error?message=TEXT; stats: curl {control}stats");
                Console.Out.Flush();
                try
                {
                    var seconds = parse.GetValue(duration);
                    await Task.Delay(seconds is { } s ? TimeSpan.FromSeconds(s) : Timeout.InfiniteTimeSpan, signals.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl-C.
                }
            }

            return 0;
        });
        return command;
    }
}
