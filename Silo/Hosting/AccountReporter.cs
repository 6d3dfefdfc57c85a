using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticker.Grains.Interfaces.Accounts;
using SiloOptions = Ticker.Silo.Options.SiloOptions;

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
    private readonly string? _silo;
    private readonly string? _siloAddress;

    /// <summary>
    /// Creates the reporter; in a silo every report names it (<c>Silo:SiloId</c> and its Orleans address), in an
    /// Orleans client (a feed) the reports name no silo.
    /// </summary>
    public AccountReporter(
        LocalAccountSource accounts, IGrainFactory grains, IServiceProvider services, IOptions<SiloOptions> options, TimeProvider time, ILogger<AccountReporter> logger)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        _accounts = accounts;
        _grains = grains;
        _time = time;
        _logger = logger;
        if (services.GetService<ILocalSiloDetails>() is { } silo)
        {
            _silo = options.Value.SiloId;
            _siloAddress = silo.SiloAddress.ToString();
        }
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
                reports[i] = _grains.GetGrain<IAccountGrain>(accounts[i].AccountId).ReportAsync(accounts[i] with { Silo = _silo, SiloAddress = _siloAddress });
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
