using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ticker.Client.Kite;
using Ticker.Grains.Accounts;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Silo.Diagnostics;
using Ticker.Silo.Hosting;

namespace Ticker.Silo.Commands;

/// <summary>
/// Where <c>./ticker feed</c> writes its ticks: the one seam that chooses the tick stream. Today it is an embedded
/// silo in this process (SiloApplication with the embedded transport), so every tick is really validated, priced and
/// snapshotted, and its HTTP API answers on <c>--http</c> (a free loopback port otherwise).
/// </summary>
internal sealed class FeedTarget : IAsyncDisposable
{
    private readonly WebApplication? _silo;
    private bool _stopped;

    private FeedTarget(ITickStreamWriter writer, AccountDirectory accounts, string description, WebApplication? silo)
    {
        Writer = writer;
        KiteObserver = silo?.Services.GetService<IKiteConnectionObserver>();
        Accounts = accounts;
        Description = description;
        _silo = silo;
    }

    /// <summary>The tick stream to write into.</summary>
    public ITickStreamWriter Writer { get; }

    /// <summary>The account grains the feed reports its connections to (the silo's, so <c>/api/accounts</c> shows them).</summary>
    public AccountDirectory Accounts { get; }

    /// <summary>Where Kite connections report for metrics (the silo's <c>kite_*</c> metrics on <c>/metrics</c>); null: nowhere.</summary>
    public IKiteConnectionObserver? KiteObserver { get; }

    /// <summary>What the target is, for the first output line.</summary>
    public string Description { get; }

    /// <summary>Creates and starts the target.</summary>
    /// <param name="master">The instrument master CSV (null: the synthetic master), the same the feed uses.</param>
    /// <param name="http">The silo's HTTP address (null: a free loopback port).</param>
    /// <param name="shards">The shard count (null: the silo's default).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">Bad configuration.</exception>
    public static async Task<FeedTarget> CreateTargetAsync(FileInfo? master, string? http, int? shards, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Http:Url"] = http ?? "http://127.0.0.1:0",

            // The feed is this process's only source: accounts configured for a long-running silo stay idle here.
            ["Kite:Enabled"] = "false",
        };
        CommonOptions.AddMaster(settings, master);
        if (shards is { } n)
        {
            settings["Silo:ShardCount"] = n.ToString(CultureInfo.InvariantCulture);
        }

        // The feed command owns Ctrl-C: it stops the feed, then drains and stops the silo (StopAsync).
        var silo = SiloApplication.Build(settings, static (services, _) => services.AddEmbeddedTransport().AddSingleton<IHostLifetime, PassiveHostLifetime>());
        try
        {
            await silo.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await silo.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var stream = silo.Services.GetRequiredService<ITickStream>();
        var where = http is null ? "" : $", API at {http}";
        return new FeedTarget(stream.Writer, silo.Services.GetRequiredService<AccountDirectory>(), $"embedded silo ({stream.ShardCount} shards{where})", silo);
    }

    /// <summary>Stops the target, draining what was written, and describes what it processed.</summary>
    public async Task<string> StopAsync()
    {
        if (_silo is null || _stopped)
        {
            return "";
        }

        _stopped = true;
        await _silo.StopAsync().ConfigureAwait(false);
        var totals = _silo.Services.GetRequiredService<SiloStatistics>().Capture();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"target={Description} processed={totals.TicksProcessed} invalid={totals.InvalidTicks} greeks={totals.GreeksComputed} snapshots={totals.SnapshotsWritten}");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_silo is not null)
        {
            await StopAsync().ConfigureAwait(false);
            await _silo.DisposeAsync().ConfigureAwait(false);
        }
    }
}
