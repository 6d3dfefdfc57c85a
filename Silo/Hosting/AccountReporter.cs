using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ticker.Grains.Interfaces.Accounts;

namespace Ticker.Silo.Hosting;

/// <summary>
/// Once a second, and once more when stopping, reports every account of this process (Kite accounts, the synthetic
/// feed) to its account grain, so <c>/api/accounts</c> and the active-accounts gauge read the grains. One call per
/// account per second, never per tick.
/// </summary>
public sealed partial class AccountReporter : BackgroundService
{
    /// <summary>The default value for the report period: one second.</summary>
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromSeconds(1);

    private readonly LocalAccountSource _accounts;
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the reporter.</summary>
    public AccountReporter(LocalAccountSource accounts, IGrainFactory grains, TimeProvider time, ILogger<AccountReporter> logger)
    {
        _accounts = accounts;
        _grains = grains;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await ReportAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(DefaultPeriod, _time);
        try
        {
            do
            {
                await ReportAsync().ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // Stopping; StopAsync sends the last report.
        }
    }

    private async Task ReportAsync()
    {
        var accounts = _accounts.Current();
        if (accounts.Count == 0)
        {
            return;
        }

        try
        {
            var reports = new Task[accounts.Count];
            for (var i = 0; i < reports.Length; i++)
            {
                reports[i] = _grains.GetGrain<IAccountGrain>(accounts[i].AccountId).ReportAsync(accounts[i]);
            }

            await Task.WhenAll(reports).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogReportFailed(_logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reporting accounts to their grains failed; the next report follows in a second: {Reason}")]
    private static partial void LogReportFailed(ILogger logger, string reason);
}
