using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticker.Client.Kite;
using Ticker.Grains.Accounts;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Streams;

namespace Ticker.Silo.Hosting;

/// <summary>
/// Streams every configured Kite account (<c>Kite:Accounts</c>) into the silo's tick stream, each as a
/// <see cref="KiteAccountFeed"/> reporting to its <see cref="AccountConnections"/>, so <c>/api/accounts</c> and the
/// active-accounts gauge show them. Does nothing when no account is configured or <c>Kite:Enabled</c> is false.
/// An account that cannot start (an unknown underlying, too many instruments) or whose credentials are refused is
/// logged and stopped; the others and the silo keep running.
/// </summary>
public sealed partial class KiteIngestionHostedService : BackgroundService
{
    private readonly KiteOptions _options;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private volatile IReadOnlyList<KiteAccountFeed> _feeds = [];

    /// <summary>
    /// Creates the service. The master, the tick stream, the account grains and the metrics observer are resolved from
    /// <paramref name="services"/> only when an account is configured, so a silo without Kite builds nothing for it.
    /// </summary>
    public KiteIngestionHostedService(IOptions<KiteOptions> options, IServiceProvider services, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _options = options.Value;
        _services = services;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<KiteIngestionHostedService>();
    }

    /// <summary>The feeds running (empty until started, or when no account is configured).</summary>
    public IReadOnlyList<KiteAccountFeed> Feeds => _feeds;

    /// <summary>The instruments of an account: its listed tokens, then those its filter picks from the master.</summary>
    /// <exception cref="ArgumentException">The filter names an underlying the master does not know.</exception>
    public static uint[] ResolveInstruments(KiteAccountOptions account, InstrumentMaster master)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(master);
        var tokens = new List<uint>(account.Instruments);
        if (account.InstrumentFilter is { } filter)
        {
            tokens.AddRange(KiteInstrumentSelection.Select(master, filter.MaxCount, filter.Underlyings));
        }

        return [.. tokens.Distinct()];
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled || _options.Accounts.Count == 0)
        {
            return;
        }

        var master = _services.GetRequiredService<InstrumentMaster>();
        var stream = _services.GetRequiredService<ITickStreamWriter>();
        var accounts = _services.GetRequiredService<AccountDirectory>();
        var observer = _services.GetService<IKiteConnectionObserver>();
        var logger = _loggers.CreateLogger<KiteConnection>();
        var feeds = new List<KiteAccountFeed>();
        foreach (var account in _options.Accounts)
        {
            try
            {
                var tokens = ResolveInstruments(account, master);
                var unknown = tokens.Count(t => !master.TryGetId(t, out _));
                if (unknown > 0)
                {
                    LogUnknownTokens(_logger, account.ApiKey, unknown);
                }

                feeds.Add(new KiteAccountFeed(_options, account.ToCredentials(), tokens, account.Mode, stream, accounts, _time, logger, observer: observer));
                LogAccount(_logger, account.ApiKey, tokens.Length, KiteMessages.ModeName(account.Mode), KiteAccountFeed.ConnectionsFor(tokens.Length), KiteUrl.Redact(_options.Url) ?? "");
            }
            catch (ArgumentException ex)
            {
                LogAccountSkipped(_logger, account.ApiKey, ex.Message);
            }
        }

        _feeds = feeds;
        var runs = new Task[feeds.Count];
        for (var i = 0; i < feeds.Count; i++)
        {
            runs[i] = RunAccountAsync(feeds[i], stoppingToken);
        }

        await Task.WhenAll(runs).ConfigureAwait(false);
    }

    private async Task RunAccountAsync(KiteAccountFeed feed, CancellationToken stoppingToken)
    {
        try
        {
            var outcome = await Task.Run(() => feed.RunAsync(stoppingToken), CancellationToken.None).ConfigureAwait(false);
            if (outcome != KiteConnectionOutcome.Cancelled)
            {
                LogAccountStopped(_logger, feed.AccountId, outcome);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException && !stoppingToken.IsCancellationRequested)
        {
            // Never take the silo down with one account.
            LogAccountFailed(_logger, feed.AccountId, ex);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Kite account {Account}: {Instruments} instruments in mode {Mode} over {Connections} connections to {Url}")]
    private static partial void LogAccount(ILogger logger, string account, int instruments, string mode, int connections, string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kite account {Account}: {Count} configured tokens are not in the instrument master; they are subscribed anyway and their ticks will fail validation")]
    private static partial void LogUnknownTokens(ILogger logger, string account, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Kite account {Account} not started: {Reason}")]
    private static partial void LogAccountSkipped(ILogger logger, string account, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Kite account {Account} stopped: {Outcome}; the silo keeps running")]
    private static partial void LogAccountStopped(ILogger logger, string account, KiteConnectionOutcome outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Kite account {Account} failed; the silo keeps running")]
    private static partial void LogAccountFailed(ILogger logger, string account, Exception exception);
}
