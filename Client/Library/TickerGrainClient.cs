using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ticker.Grains.Interfaces.Accounts;
using Ticker.Grains.Interfaces.Market;
using Ticker.Grains.Interfaces.Snapshots;

namespace Ticker.Client.Library;

/// <summary>
/// Reads an instrument's or an account's live state from its grain, as an Orleans client of the silo cluster. The
/// published snapshots in Redis (<see cref="TickerClient"/>) remain the default way to read the ticker; this is for
/// a process that wants the grain's own state (the same fields, with no publishing delay) or is itself part of the
/// Orleans application.
/// </summary>
public sealed class TickerGrainClient : IAsyncDisposable
{
    /// <summary>The cluster and service id the ticker's silos use.</summary>
    public const string ClusterId = "ticker";

    private readonly IGrainFactory _grains;
    private readonly IHost? _host;

    private TickerGrainClient(IGrainFactory grains, IHost? host)
    {
        _grains = grains;
        _host = host;
    }

    /// <summary>
    /// Connects to an embedded silo on this machine through its Orleans gateway port (<c>Orleans:GatewayPort</c>;
    /// <c>./ticker demo</c> prints it).
    /// </summary>
    public static async Task<TickerGrainClient> ConnectAsync(int gatewayPort, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client => client.UseLocalhostClustering(gatewayPort, ClusterId, ClusterId));
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new TickerGrainClient(host.Services.GetRequiredService<IClusterClient>(), host);
    }

    /// <summary>Uses a cluster client the application already runs (its own Orleans client or silo).</summary>
    public static TickerGrainClient Using(IGrainFactory grains) => new(grains, null);

    /// <summary>The instrument's state now, or null before its first tick.</summary>
    public Task<InstrumentSnapshot?> GetInstrumentAsync(uint instrumentToken) =>
        _grains.GetGrain<IInstrumentGrain>(instrumentToken).GetSnapshotAsync();

    /// <summary>The account's state now, or null when it never reported.</summary>
    public Task<AccountState?> GetAccountAsync(string accountId) =>
        _grains.GetGrain<IAccountGrain>(accountId).GetStateAsync();

    /// <summary>Every account that has reported, ordered by id.</summary>
    public async Task<IReadOnlyList<AccountState>> GetAccountsAsync()
    {
        var ids = await _grains.GetGrain<IAccountRegistryGrain>(0).GetAccountIdsAsync().ConfigureAwait(false);
        var list = new List<AccountState>(ids.Length);
        foreach (var id in ids)
        {
            if (await GetAccountAsync(id).ConfigureAwait(false) is { } state)
            {
                list.Add(state);
            }
        }

        return list;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync().ConfigureAwait(false);
            _host.Dispose();
        }
    }
}
