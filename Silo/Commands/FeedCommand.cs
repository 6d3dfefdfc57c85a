using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticker.Client.Ingestion;
using Ticker.Client.Kite;
using Ticker.Client.Recording;
using Ticker.Client.Synthetic;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Silo.Commands;

/// <summary>
/// <c>./ticker feed</c>: feeds a tick stream from one source — Kite (<c>--kite</c>), a recording
/// (<c>--replay FILE</c>) or the synthetic market (<c>--synthetic</c>) — and prints what it wrote. The stream is
/// chosen by <see cref="FeedTarget"/>.
/// </summary>
internal static class FeedCommand
{
    /// <summary>The shortest wait for Redis and a silo when <c>--duration</c> is given.</summary>
    internal static readonly TimeSpan MinimumStartWait = TimeSpan.FromSeconds(10);

    /// <summary>Exit code when Kite refused the credentials.</summary>
    public const int CredentialsRefused = 3;

    /// <summary>Creates the subcommand.</summary>
    public static Command Create()
    {
        var kite = new Option<bool>("--kite") { Description = "Source: the Kite ticker (see --url, --api-key, --access-token, --mode)." };
        var replay = new Option<FileInfo?>("--replay") { Description = "Source: a recording made by ./ticker record.", HelpName = "FILE" };
        var synthetic = new Option<bool>("--synthetic") { Description = "Source: the synthetic NIFTY/BANKNIFTY market (see --rate)." };
        var rate = new Option<double?>("--rate") { Description = "Synthetic: ticks per second (default 20000; 0: as fast as it goes)." };
        var ticks = new Option<long?>("--ticks") { Description = "Synthetic: stop after this many ticks (default: when --duration ends or on Ctrl-C)." };
        var speed = new Option<string>("--speed") { Description = "Replay: 1 (real time), 10, … or max.", DefaultValueFactory = static _ => "1" };
        var keepTimes = new Option<bool>("--keep-times") { Description = "Replay: keep the recorded exchange timestamps instead of moving them to now." };
        var url = KiteCommandOptions.Url();
        var apiKey = KiteCommandOptions.ApiKey();
        var accessToken = KiteCommandOptions.AccessToken();
        var mode = KiteCommandOptions.Mode();
        var instruments = new Option<int?>("--instruments") { Description = $"The first N instruments of the master (Kite default {KiteCommandOptions.DefaultInstruments}, at most 9000; synthetic default: all)." };
        var duration = CommonOptions.Duration();
        var manifest = new Option<FileInfo?>("--manifest") { Description = "Write one JSON line per instrument written (ticks, last price, volume) to FILE at the end.", HelpName = "FILE" };
        var master = CommonOptions.Master();
        var http = new Option<string?>("--http") { Description = "Serve the in-process silo's HTTP API at this address (default: a free loopback port)." };
        var shards = CommonOptions.Shards();
        var redis = CommonOptions.Redis();
        var command = new Command("feed", "Feed ticks from Kite, a recording or the synthetic market into the Redis tick stream (--redis) or an in-process silo, and print how many were written.")
        {
            kite, replay, synthetic, rate, ticks, speed, keepTimes, url, apiKey, accessToken, mode, instruments, duration, manifest, master, http, shards, redis,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new Settings
            {
                Kite = parse.GetValue(kite),
                Replay = parse.GetValue(replay),
                Synthetic = parse.GetValue(synthetic),
                Rate = parse.GetValue(rate),
                Ticks = parse.GetValue(ticks),
                Speed = parse.GetValue(speed),
                KeepTimes = parse.GetValue(keepTimes),
                Url = parse.GetValue(url),
                ApiKey = parse.GetValue(apiKey),
                AccessToken = parse.GetValue(accessToken),
                Mode = parse.GetValue(mode),
                Instruments = parse.GetValue(instruments),
                Duration = parse.GetValue(duration) is { } s ? TimeSpan.FromSeconds(s) : null,
                Manifest = parse.GetValue(manifest),
                Master = parse.GetValue(master),
                Http = parse.GetValue(http),
                Shards = parse.GetValue(shards),
                Redis = parse.GetValue(redis) ?? Environment.GetEnvironmentVariable("TICKER_Redis__ConnectionString"),
            };
            using var loggers = CommandLogging.Create();
            using var signals = new CommandSignals(cancellationToken);
            return await RunAsync(settings, Console.Out, Console.Error, loggers, signals.Token).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Runs the feed; returns the exit code (0 ok, 2 bad arguments, 3 credentials refused).</summary>
    internal static async Task<int> RunAsync(Settings settings, TextWriter stdout, TextWriter stderr, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var sources = (settings.Kite ? 1 : 0) + (settings.Replay is null ? 0 : 1) + (settings.Synthetic ? 1 : 0);
        if (sources != 1)
        {
            await stderr.WriteLineAsync("feed: choose exactly one source: --kite, --replay FILE or --synthetic").ConfigureAwait(false);
            return 2;
        }

        if (settings.Instruments is < 1 or > KiteOptions.MaxInstrumentsPerAccount)
        {
            await stderr.WriteLineAsync($"feed: --instruments must be between 1 and {KiteOptions.MaxInstrumentsPerAccount}").ConfigureAwait(false);
            return 2;
        }

        InstrumentMaster master;
        try
        {
            master = InstrumentMaster.LoadOrSynthetic(settings.Master?.FullName, TimeProvider.System);
        }
        catch (Exception ex) when (ex is IOException or InstrumentCsvException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"feed: cannot load the instrument master: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        Func<CancellationToken, FeedTarget, Func<FeedManifest>?, Task<int>> run;
        if (settings.Kite)
        {
            var credentials = KiteCommandOptions.ResolveCredentials(settings.ApiKey, settings.AccessToken, out var error);
            if (credentials is null || !KiteCommandOptions.TryParseMode(settings.Mode, out var mode))
            {
                await stderr.WriteLineAsync($"feed: {error ?? "--mode must be ltp, quote or full"}").ConfigureAwait(false);
                return 2;
            }

            var tokens = KiteInstrumentSelection.Select(master, settings.Instruments ?? KiteCommandOptions.DefaultInstruments);
            var options = new KiteOptions { Url = settings.Url ?? KiteUrl.DefaultUrl };
            run = (token, target, manifests) => RunKiteAsync(options, credentials, tokens, mode, target, manifests, stdout, stderr, loggers, token);
        }
        else if (settings.Replay is { } file)
        {
            if (!TryParseSpeed(settings.Speed ?? "1", out var speed))
            {
                await stderr.WriteLineAsync("feed: --speed must be a number above 0 or max").ConfigureAwait(false);
                return 2;
            }

            KiteRecordingReader reader;
            try
            {
                reader = await KiteRecordingReader.OpenAsync(file.FullName, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"feed: cannot replay {file.FullName}: {ex.Message}").ConfigureAwait(false);
                return 2;
            }

            run = async (token, target, manifests) =>
            {
                using (reader)
                {
                    return await RunReplayAsync(reader, file.FullName, speed, !settings.KeepTimes, settings.Duration, target, manifests, stdout, stderr, token).ConfigureAwait(false);
                }
            };
        }
        else
        {
            var rate = settings.Rate ?? 20_000;
            var market = new SyntheticMarket(master, new SyntheticMarketOptions { Instruments = settings.Instruments ?? 0 });
            run = (token, target, manifests) => RunSyntheticAsync(market, rate, settings.Duration, settings.Ticks, target, manifests, stdout, token);
        }

        FeedTarget target;

        // On Redis --duration also bounds the wait for Redis and a silo (at least MinimumStartWait, so a short run
        // still gets to write): a feed facing a Redis that is down stops instead of waiting for ever.
        using var starting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (settings.Duration is { } bound && settings.Redis is { Length: > 0 })
        {
            starting.CancelAfter(bound > MinimumStartWait ? bound : MinimumStartWait);
        }

        try
        {
            target = settings.Redis is { Length: > 0 } connection
                ? await FeedTarget.CreateRedisTargetAsync(connection, master, settings.Shards, loggers, stderr, starting.Token).ConfigureAwait(false)
                : await FeedTarget.CreateTargetAsync(settings.Master, settings.Http, settings.Shards, starting.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OptionsValidationException or InvalidOperationException or IOException)
        {
            await stderr.WriteLineAsync($"feed: cannot start the tick stream: {ex.Message}").ConfigureAwait(false);
            return 2;
        }
        catch (OperationCanceledException) when (starting.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("feed: stopped before the tick stream was ready (nothing was written)").ConfigureAwait(false);
            return cancellationToken.IsCancellationRequested ? 130 : 1;
        }

        await using (target.ConfigureAwait(false))
        {
            await stdout.WriteLineAsync($"feed: writing into {target.Description}").ConfigureAwait(false);
            var manifests = new List<FeedManifest>();
            Func<FeedManifest>? createManifest = settings.Manifest is null ? null : () =>
            {
                var m = new FeedManifest(master);
                manifests.Add(m);
                return m;
            };
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (settings.Duration is { } limit && !settings.Synthetic && settings.Replay is null)
            {
                stop.CancelAfter(limit);
            }

            var exit = await run(stop.Token, target, createManifest).ConfigureAwait(false);
            await stdout.WriteLineAsync($"feed: {await target.StopAsync().ConfigureAwait(false)}").ConfigureAwait(false);
            if (settings.Manifest is { } path)
            {
                await using var output = File.Create(path.FullName);
                foreach (var m in manifests)
                {
                    m.WriteJsonLines(output);
                }
            }

            await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            return exit;
        }
    }

    private static async Task<int> RunKiteAsync(
        KiteOptions options,
        KiteCredentials credentials,
        uint[] tokens,
        TickMode mode,
        FeedTarget target,
        Func<FeedManifest>? manifests,
        TextWriter stdout,
        TextWriter stderr,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var feed = new KiteAccountFeed(
            options, credentials, tokens, mode, target.Writer, target.Accounts, TimeProvider.System,
            loggers.CreateLogger<KiteConnection>(), createManifest: manifests, observer: target.KiteObserver);
        await stdout.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"feed: subscribing {tokens.Length} instruments in mode {KiteMessages.ModeName(mode)} over {feed.Connections.Count} connections to {KiteUrl.Redact(options.Url)}")).ConfigureAwait(false);
        var outcome = await feed.RunAsync(cancellationToken).ConfigureAwait(false);
        await stdout.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"feed: source=kite ticks={feed.TicksWritten} frames={feed.Frames} heartbeats={feed.Heartbeats} malformed={feed.DecodeErrors} connections={feed.Connections.Count} reconnects={feed.Reconnects}")).ConfigureAwait(false);
        switch (outcome)
        {
            case KiteConnectionOutcome.CredentialsRejected:
                await stderr.WriteLineAsync(KiteCommandOptions.RefusedMessage("feed", options.Url)).ConfigureAwait(false);
                return CredentialsRefused;
            case KiteConnectionOutcome.GaveUp:
                await stderr.WriteLineAsync("feed: gave up connecting to Kite").ConfigureAwait(false);
                return 1;
            default:
                return 0;
        }
    }

    private static async Task<int> RunReplayAsync(
        KiteRecordingReader reader,
        string path,
        double speed,
        bool rebase,
        TimeSpan? duration,
        FeedTarget target,
        Func<FeedManifest>? manifests,
        TextWriter stdout,
        TextWriter stderr,
        CancellationToken cancellationToken)
    {
        var ingest = new IngestWriter(target.Writer, manifests?.Invoke());
        var replay = new KiteReplay(ingest, TimeProvider.System, target.Accounts.GetOrAdd("replay", 1).Connections[0]);
        var result = await replay.RunAsync(reader, speed, rebase, duration, cancellationToken).ConfigureAwait(false);
        await stdout.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"feed: source=replay ticks={result.Ticks} frames={result.Frames} heartbeats={ingest.Heartbeats} malformed={ingest.TotalDecodeErrors} complete={(result.Completed ? "yes" : "no")}")).ConfigureAwait(false);
        if (result.TruncatedBytes > 0)
        {
            await stderr.WriteLineAsync($"feed: {path} ends in an incomplete record ({result.TruncatedBytes} bytes skipped): the recorder was stopped mid-write").ConfigureAwait(false);
        }

        if (result.Corrupt)
        {
            await stderr.WriteLineAsync($"feed: {path} is corrupt at offset {reader.CorruptAt}; replayed the {result.Frames} frames before it").ConfigureAwait(false);
            return 1;
        }

        return 0;
    }

    private static async Task<int> RunSyntheticAsync(
        SyntheticMarket market, double rate, TimeSpan? duration, long? ticks, FeedTarget target, Func<FeedManifest>? manifests, TextWriter stdout, CancellationToken cancellationToken)
    {
        var ingest = new IngestWriter(target.Writer, manifests?.Invoke());
        var feed = new SyntheticFeed(market, ingest, TimeProvider.System, target.Accounts.GetOrAdd("synthetic", 1).Connections[0]);
        var produced = await feed.RunAsync(rate, duration, cancellationToken, ticks ?? long.MaxValue).ConfigureAwait(false);
        await stdout.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"feed: source=synthetic ticks={ingest.TicksWritten} frames={ingest.Frames} produced={produced} instruments={market.Instruments.Count}")).ConfigureAwait(false);
        return 0;
    }

    private static bool TryParseSpeed(string? text, out double speed)
    {
        if (string.Equals(text, "max", StringComparison.OrdinalIgnoreCase))
        {
            speed = KiteReplay.MaxSpeed;
            return true;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out speed) && speed > 0 && double.IsFinite(speed);
    }

    /// <summary>The parsed command line.</summary>
    internal sealed class Settings
    {
        public bool Kite { get; init; }

        public FileInfo? Replay { get; init; }

        public bool Synthetic { get; init; }

        public double? Rate { get; init; }

        public long? Ticks { get; init; }

        public string? Speed { get; init; }

        public bool KeepTimes { get; init; }

        public string? Url { get; init; }

        public string? ApiKey { get; init; }

        public string? AccessToken { get; init; }

        public string? Mode { get; init; }

        public int? Instruments { get; init; }

        public TimeSpan? Duration { get; init; }

        public FileInfo? Manifest { get; init; }

        public FileInfo? Master { get; init; }

        public string? Http { get; init; }

        public int? Shards { get; init; }

        public string? Redis { get; init; }
    }
}
