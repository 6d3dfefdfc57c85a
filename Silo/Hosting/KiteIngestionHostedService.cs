using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticker.Client.Kite;
using Ticker.Grains.Accounts;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Accounts;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Silo.Metrics;
using SiloOptions = Ticker.Silo.Options.SiloOptions;

namespace Ticker.Silo.Hosting;

/// <summary>
/// Streams the configured Kite accounts (<c>Kite:Accounts</c>) into the silo's tick stream, each as a
/// <see cref="KiteAccountFeed"/> reporting to its <see cref="AccountConnections"/>, so <c>/api/accounts</c> and the
/// active-accounts gauge show them. In a silo, one silo of the cluster streams each account: the one holding its
/// lease (<see cref="AccountOwnership"/>); every silo configured with it keeps claiming it. A process without an
/// Orleans silo streams every account it is configured with. Does nothing when no account is configured or
/// <c>Kite:Enabled</c> is false.
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
    private volatile IReadOnlyList<AccountOwnership> _holds = [];
    private int _owned;

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

    /// <summary>
    /// The feeds of the accounts this silo streams, in configuration order: those whose lease it holds (running, or
    /// ended on their own, e.g. refused credentials); every configured account when the process has no Orleans silo.
    /// </summary>
    public IReadOnlyList<KiteAccountFeed> Feeds
    {
        get
        {
            var holds = _holds;
            if (holds.Count == 0)
            {
                return _feeds;
            }

            var feeds = new List<KiteAccountFeed>(holds.Count);
            foreach (var hold in holds)
            {
                if (hold.Feed is { } feed)
                {
                    feeds.Add(feed);
                }
            }

            return feeds;
        }
    }

    /// <summary>This silo's hold on each account it can stream (empty when the process has no Orleans silo).</summary>
    public IReadOnlyList<AccountOwnership> Ownerships => _holds;

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
        var silo = _services.GetService<ILocalSiloDetails>();
        var self = silo is null ? null : new AccountOwner(silo.SiloAddress, _services.GetRequiredService<IOptions<SiloOptions>>().Value.SiloId);
        var instruments = _services.GetService<KiteInstruments>();
        if (self is null)
        {
            LogUncoordinated(_logger);
        }

        var runs = new List<Task>();
        var feeds = new List<KiteAccountFeed>();
        var holds = new List<AccountOwnership>();
        foreach (var account in _options.Accounts)
        {
            uint[] tokens;
            try
            {
                tokens = ResolveInstruments(account, master);
                if (tokens.Length > KiteOptions.MaxInstrumentsPerAccount)
                {
                    throw new ArgumentException($"{tokens.Length} instruments exceed the {KiteOptions.MaxInstrumentsPerAccount} one API key can stream");
                }
            }
            catch (ArgumentException ex)
            {
                // Not claimed either: a silo that cannot stream the account must not keep it from one that can.
                LogAccountSkipped(_logger, account.ApiKey, ex.Message);
                continue;
            }

            var unknown = tokens.Count(t => !master.TryGetId(t, out _));
            if (unknown > 0)
            {
                LogUnknownTokens(_logger, account.ApiKey, unknown);
            }

            LogAccount(_logger, account.ApiKey, tokens.Length, KiteMessages.ModeName(account.Mode), KiteAccountFeed.ConnectionsFor(tokens.Length), KiteUrl.Redact(_options.Url) ?? "");
            var credentials = account.ToCredentials();
            var mode = account.Mode;
            KiteAccountFeed CreateFeed() => new(_options, credentials, tokens, mode, stream, accounts, _time, logger, observer: observer);
            if (self is null)
            {
                var feed = CreateFeed();
                feeds.Add(feed);
                runs.Add(RunAccountAsync(feed, stoppingToken));
                continue;
            }

            var hold = new AccountOwnership(account.ApiKey, _services.GetRequiredService<IGrainFactory>(), self, _options, CreateFeed, OnOwnershipChanged, accounts, _time, _loggers.CreateLogger<AccountOwnership>());
            holds.Add(hold);
            runs.Add(RunOwnershipAsync(hold, stoppingToken));
        }

        _feeds = feeds;
        _holds = holds;
        await Task.WhenAll(runs).ConfigureAwait(false);

        void OnOwnershipChanged(AccountOwnershipChange change)
        {
            var owned = Interlocked.Add(ref _owned, change == AccountOwnershipChange.Acquired ? 1 : -1);
            instruments?.RecordOwnershipChange(change, owned);
        }
    }

    private async Task RunOwnershipAsync(AccountOwnership hold, CancellationToken stoppingToken)
    {
        try
        {
            await hold.RunAsync(RunAccountAsync, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException && !stoppingToken.IsCancellationRequested)
        {
            // Never take the silo down with one account; its lease expires and another silo takes it.
            LogAccountFailed(_logger, hold.AccountId, ex);
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "This process hosts no Orleans silo: it streams every configured Kite account without asking the cluster, so another process configured with the same account streams it too")]
    private static partial void LogUncoordinated(ILogger logger);

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
