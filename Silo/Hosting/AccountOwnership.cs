using Microsoft.Extensions.Logging;
using Ticker.Client.Kite;
using Ticker.Grains.Accounts;
using Ticker.Grains.Interfaces.Accounts;
using Ticker.Silo.Metrics;

namespace Ticker.Silo.Hosting;

/// <summary>
/// This silo's hold on one configured Kite account: claims or renews the account's lease from its
/// <see cref="IAccountOwnershipGrain"/> every <see cref="KiteOptions.OwnershipRenewPeriod"/>, and runs the account's
/// feed only while it holds the lease. A silo that does not hold it keeps asking, so the account moves here when its
/// holder stops, releases it or dies.
/// </summary>
/// <remarks>
/// Why two silos never stream the account at once (up to the rate of their clocks, not their settings):
/// <list type="bullet">
/// <item>The grain starts a lease when it receives a claim; this silo counts the same lease from just before it sent
/// the claim. So the lease ends here no later than it ends at the grain, and a watchdog cancels the feed at that
/// moment whether or not a renewal is still in flight. The grain grants the account to another silo only after its
/// own end of the lease, or when membership declared this silo dead (Orleans declares a silo dead after it has missed
/// several probes, longer than the lease; a silo that learns it was declared dead stops).</item>
/// <item>A refused renewal (another silo holds it) stops the feed at once.</item>
/// <item>On shutdown the feed is stopped and its connections closed before the lease is released, so the next
/// holder starts only after this one has finished.</item>
/// </list>
/// Elapsed time is measured on each process's monotonic clock; wall clocks are never compared.
/// </remarks>
public sealed partial class AccountOwnership
{
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(2);

    private readonly IAccountOwnershipGrain _grain;
    private readonly AccountOwner _self;
    private readonly KiteOptions _options;
    private readonly Func<KiteAccountFeed> _createFeed;
    private readonly Action<AccountOwnershipChange> _changed;
    private readonly AccountDirectory? _directory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private volatile KiteAccountFeed? _feed;
    private long _refusals;

    /// <summary>Creates the hold on one account; nothing happens before <see cref="RunAsync"/>.</summary>
    /// <param name="accountId">The account (its API key).</param>
    /// <param name="grains">Where the ownership grain is.</param>
    /// <param name="self">This silo.</param>
    /// <param name="options">Renew period and lease.</param>
    /// <param name="createFeed">Creates a fresh feed each time the lease is acquired.</param>
    /// <param name="changed">Told every acquisition, loss and release (metrics).</param>
    /// <param name="directory">The account grains of this process; the account is removed when this silo loses it, so it stops reporting it.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where changes are logged.</param>
    public AccountOwnership(
        string accountId,
        IGrainFactory grains,
        AccountOwner self,
        KiteOptions options,
        Func<KiteAccountFeed> createFeed,
        Action<AccountOwnershipChange> changed,
        AccountDirectory? directory,
        TimeProvider time,
        ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(grains);
        AccountId = accountId;
        _grain = grains.GetGrain<IAccountOwnershipGrain>(accountId);
        _self = self;
        _options = options;
        _createFeed = createFeed;
        _changed = changed;
        _directory = directory;
        _time = time;
        _logger = logger;
    }

    /// <summary>The account id.</summary>
    public string AccountId { get; }

    /// <summary>The feed while this silo holds the lease (running, or ended on its own, e.g. refused credentials); null otherwise.</summary>
    public KiteAccountFeed? Feed => _feed;

    /// <summary>Claims refused so far (another silo held the lease).</summary>
    public long Refusals => Volatile.Read(ref _refusals);

    /// <summary>
    /// Claims and renews until <paramref name="stoppingToken"/> is cancelled, streaming while the lease is held; then
    /// stops the feed and releases the lease.
    /// </summary>
    /// <param name="run">Runs a feed until its token is cancelled (the caller's error handling around <see cref="KiteAccountFeed.RunAsync"/>).</param>
    /// <param name="stoppingToken">The host stopping.</param>
    public async Task RunAsync(Func<KiteAccountFeed, CancellationToken, Task> run, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        using var timer = new PeriodicTimer(_options.OwnershipRenewPeriod, _time);
        Streaming? streaming = null;
        var failing = false;
        try
        {
            do
            {
                var sentAt = _time.GetTimestamp();
                AccountLease lease;
                try
                {
                    lease = await _grain.ClaimAsync(_self, _options.OwnershipLease).WaitAsync(_options.OwnershipLease, _time, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The watchdog stops the feed if this goes on until the lease runs out; logged once per outage.
                    if (!failing)
                    {
                        LogClaimFailed(_logger, AccountId, ex.Message);
                    }

                    failing = true;
                    if (streaming is { Expired: true })
                    {
                        // The watchdog stopped the feed: this silo no longer streams the account.
                        await StopAsync(streaming, AccountOwnershipChange.Lost, null).ConfigureAwait(false);
                        streaming = null;
                    }

                    continue;
                }

                failing = false;
                var remaining = _options.OwnershipLease - _time.GetElapsedTime(sentAt);
                if (!lease.Held)
                {
                    Interlocked.Increment(ref _refusals);
                    if (streaming is not null)
                    {
                        await StopAsync(streaming, AccountOwnershipChange.Lost, lease.Owner).ConfigureAwait(false);
                        streaming = null;
                    }
                }
                else if (remaining > TimeSpan.Zero)
                {
                    if (streaming is { Expired: true })
                    {
                        // The lease ran out here during this claim, but nobody took it: stream again.
                        await StopAsync(streaming, AccountOwnershipChange.Lost, lease.Owner).ConfigureAwait(false);
                        streaming = null;
                    }

                    streaming ??= Start(run);
                    streaming.Extend(remaining);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }

        if (streaming is not null)
        {
            await StopAsync(streaming, AccountOwnershipChange.Released, null).ConfigureAwait(false);
        }

        // Also when not streaming: a claim cancelled by the shutdown may have been granted on arrival.
        await ReleaseAsync(streaming is not null).ConfigureAwait(false);
    }

    private Streaming Start(Func<KiteAccountFeed, CancellationToken, Task> run)
    {
        var feed = _createFeed();
        var watchdog = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        _feed = feed;
        _changed(AccountOwnershipChange.Acquired);
        LogAcquired(_logger, AccountId, _self.Name);
        return new Streaming(feed, watchdog, Task.Run(() => run(feed, watchdog.Token), CancellationToken.None));
    }

    private async Task StopAsync(Streaming streaming, AccountOwnershipChange change, AccountOwner? owner)
    {
        var expired = streaming.Expired;
        await streaming.DisposeAsync().ConfigureAwait(false);
        _feed = null;
        _changed(change);
        if (change == AccountOwnershipChange.Lost)
        {
            // Another silo streams it now and reports it; this one must stop reporting its stale view. (On release
            // the process is stopping: its last report shows the connections closed.)
            _directory?.Remove(AccountId);
            LogLost(_logger, AccountId, expired ? "renewals failed for a whole lease period" : "another silo holds it", owner?.Name ?? "nobody");
        }
    }

    private async Task ReleaseAsync(bool held)
    {
        try
        {
            await _grain.ReleaseAsync(_self.Silo).WaitAsync(ReleaseTimeout, _time).ConfigureAwait(false);
            if (held)
            {
                LogReleased(_logger, AccountId);
            }
        }
        catch (Exception ex) when (held)
        {
            // Best effort: without it, another silo takes over when the lease expires.
            LogReleaseFailed(_logger, AccountId, ex.Message);
        }
        catch (Exception)
        {
            // Not held as far as this silo knows: nothing to report.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Kite account {Account}: this silo ({Silo}) holds its lease and streams it")]
    private static partial void LogAcquired(ILogger logger, string account, string silo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kite account {Account}: stopped streaming, {Reason} (holder: {Owner})")]
    private static partial void LogLost(ILogger logger, string account, string reason, string owner);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kite account {Account}: feed stopped and lease released")]
    private static partial void LogReleased(ILogger logger, string account);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kite account {Account}: the lease could not be released ({Reason}); another silo takes over when it expires")]
    private static partial void LogReleaseFailed(ILogger logger, string account, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kite account {Account}: claiming its lease failed ({Reason}); retrying every renew period")]
    private static partial void LogClaimFailed(ILogger logger, string account, string reason);

    /// <summary>A running feed, the watchdog that cancels it when the lease runs out, and its task.</summary>
    private sealed class Streaming(KiteAccountFeed feed, CancellationTokenSource watchdog, Task run) : IAsyncDisposable
    {
        public KiteAccountFeed Feed { get; } = feed;

        /// <summary>Whether the watchdog fired (the lease ran out before a renewal arrived).</summary>
        public bool Expired => watchdog.IsCancellationRequested;

        /// <summary>Moves the watchdog to <paramref name="remaining"/> from now (the lease as this silo counts it).</summary>
        public void Extend(TimeSpan remaining)
        {
            if (!watchdog.IsCancellationRequested)
            {
                watchdog.CancelAfter(remaining);
            }
        }

        /// <summary>Stops the feed and waits until its connections are closed.</summary>
        public async ValueTask DisposeAsync()
        {
            await watchdog.CancelAsync().ConfigureAwait(false);
            await run.ConfigureAwait(false);
            watchdog.Dispose();
        }
    }
}
