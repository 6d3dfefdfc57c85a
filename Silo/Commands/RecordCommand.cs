using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Ticker.Client.Kite;
using Ticker.Client.Recording;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Silo.Commands;

/// <summary>
/// <c>./ticker record --out FILE</c>: subscribes to Kite (or the mock) and stores every raw binary frame with its
/// receive time (<see cref="KiteRecordingFormat"/>), for <c>./ticker feed --replay FILE</c>.
/// </summary>
internal static class RecordCommand
{
    /// <summary>Creates the subcommand.</summary>
    public static Command Create()
    {
        var output = new Option<FileInfo>("--out", "-o") { Description = "The recording file to write (overwritten).", HelpName = "FILE", Required = true };
        var url = KiteCommandOptions.Url();
        var apiKey = KiteCommandOptions.ApiKey();
        var accessToken = KiteCommandOptions.AccessToken();
        var mode = KiteCommandOptions.Mode();
        var instruments = new Option<int?>("--instruments") { Description = $"The first N instruments of the master (default {KiteCommandOptions.DefaultInstruments}, at most 9000)." };
        var duration = CommonOptions.Duration();
        var master = CommonOptions.Master();
        var command = new Command("record", "Record the raw Kite binary frames (with receive times) of the first N instruments to a file, for feed --replay.")
        {
            output, url, apiKey, accessToken, mode, instruments, duration, master,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var loggers = CommandLogging.Create();
            using var signals = new CommandSignals(cancellationToken);
            return await RunAsync(
                parse.GetValue(output)!,
                parse.GetValue(url),
                parse.GetValue(apiKey),
                parse.GetValue(accessToken),
                parse.GetValue(mode),
                parse.GetValue(instruments),
                parse.GetValue(duration) is { } s ? TimeSpan.FromSeconds(s) : null,
                parse.GetValue(master),
                Console.Out,
                Console.Error,
                loggers,
                signals.Token).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Records until <paramref name="duration"/> or cancellation; returns the exit code (3: credentials refused).</summary>
    internal static async Task<int> RunAsync(
        FileInfo output,
        string? url,
        string? apiKey,
        string? accessToken,
        string? modeText,
        int? instruments,
        TimeSpan? duration,
        FileInfo? masterFile,
        TextWriter stdout,
        TextWriter stderr,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var credentials = KiteCommandOptions.ResolveCredentials(apiKey, accessToken, out var error);
        if (credentials is null || !KiteCommandOptions.TryParseMode(modeText, out var mode))
        {
            await stderr.WriteLineAsync($"record: {error ?? "--mode must be ltp, quote or full"}").ConfigureAwait(false);
            return 2;
        }

        if (instruments is < 1 or > KiteOptions.MaxInstrumentsPerAccount)
        {
            await stderr.WriteLineAsync($"record: --instruments must be between 1 and {KiteOptions.MaxInstrumentsPerAccount}").ConfigureAwait(false);
            return 2;
        }

        InstrumentMaster master;
        KiteRecordingWriter recording;
        try
        {
            master = InstrumentMaster.LoadOrSynthetic(masterFile?.FullName, TimeProvider.System);
            recording = KiteRecordingWriter.Create(output.FullName, UnixTime.Microseconds(DateTimeOffset.UtcNow));
        }
        catch (Exception ex) when (ex is IOException or InstrumentCsvException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"record: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        var options = new KiteOptions { Url = url ?? KiteUrl.DefaultUrl };
        var tokens = KiteInstrumentSelection.Select(master, instruments ?? KiteCommandOptions.DefaultInstruments);
        KiteAccountFeed feed;
        KiteConnectionOutcome outcome;
        using (recording)
        {
            feed = new KiteAccountFeed(
                options, credentials, tokens, mode, new DiscardingWriter(), null, TimeProvider.System,
                loggers.CreateLogger<KiteConnection>(), recording);
            await stdout.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"record: recording {tokens.Length} instruments in mode {KiteMessages.ModeName(mode)} from {KiteUrl.Redact(options.Url)} to {output.FullName}")).ConfigureAwait(false);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (duration is { } limit)
            {
                stop.CancelAfter(limit);
            }

            outcome = await feed.RunAsync(stop.Token).ConfigureAwait(false);
        }

        await stdout.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"record: frames={recording.Frames} bytes={recording.Bytes} ticks={feed.TicksWritten} heartbeats={feed.Heartbeats} malformed={feed.DecodeErrors} reconnects={feed.Reconnects} file={output.FullName}")).ConfigureAwait(false);
        if (outcome == KiteConnectionOutcome.CredentialsRejected)
        {
            await stderr.WriteLineAsync(KiteCommandOptions.RefusedMessage("record", options.Url)).ConfigureAwait(false);
            return FeedCommand.CredentialsRefused;
        }

        return outcome == KiteConnectionOutcome.GaveUp ? 1 : 0;
    }

    /// <summary>The tick stream of a recorder: decoded ticks are counted by the ingest writer and dropped.</summary>
    private sealed class DiscardingWriter : ITickStreamWriter
    {
        public ValueTask WriteAsync(ReadOnlyMemory<Tick> ticks, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
