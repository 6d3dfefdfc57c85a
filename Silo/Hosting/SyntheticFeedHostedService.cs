using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticker.Client.Ingestion;
using Ticker.Client.Synthetic;
using Ticker.Grains.Accounts;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Silo.Options;

namespace Ticker.Silo.Hosting;

/// <summary>Runs the synthetic feed inside the silo process (the demo), as account <c>synthetic</c>.</summary>
public sealed partial class SyntheticFeedHostedService : BackgroundService
{
    /// <summary>The account id the in-process feed reports as.</summary>
    public const string AccountId = "synthetic";

    private readonly SyntheticFeed _feed;
    private readonly FeedOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the feed over the silo's master and stream.</summary>
    public SyntheticFeedHostedService(
        InstrumentMaster master,
        ITickStreamWriter stream,
        AccountDirectory accounts,
        IOptions<FeedOptions> options,
        IOptions<SyntheticMarketOptions> market,
        TimeProvider time,
        ILogger<SyntheticFeedHostedService> logger)
    {
        _options = options.Value;
        _logger = logger;
        Market = new SyntheticMarket(master, market.Value);
        Ingest = new IngestWriter(stream);
        _feed = new SyntheticFeed(Market, Ingest, time, accounts.GetOrAdd(AccountId, 1).Connections[0]);
    }

    /// <summary>The market being fed (tests compare IVs with its smile).</summary>
    public SyntheticMarket Market { get; }

    /// <summary>The ingest writer (frames, ticks written, decode errors).</summary>
    public IngestWriter Ingest { get; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        LogStarting(_logger, Market.Instruments.Count, _options.Rate);
        var produced = await Task.Run(() => _feed.RunAsync(_options.Rate, null, stoppingToken), CancellationToken.None).ConfigureAwait(false);
        LogStopped(_logger, produced);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Synthetic feed: {Instruments} instruments at {Rate} ticks/s (0 = as fast as possible)")]
    private static partial void LogStarting(ILogger logger, int instruments, double rate);

    [LoggerMessage(Level = LogLevel.Information, Message = "Synthetic feed stopped after {Ticks} ticks")]
    private static partial void LogStopped(ILogger logger, long ticks);
}
