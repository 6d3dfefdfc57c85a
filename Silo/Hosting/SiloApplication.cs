using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;
using Orleans.Runtime;
using Ticker.Silo.Status;
using Ticker.Silo.Http;
using Ticker.Silo.Metrics;
using Ticker.Silo.Options;

namespace Ticker.Silo.Hosting;

/// <summary>
/// Builds and runs a silo process: configuration from appsettings.json, <c>TICKER_</c> environment variables
/// (<c>TICKER_Batching__WindowMs=50</c>) and command-line options (last wins); Kestrel on loopback; the JSON API.
/// </summary>
public static class SiloApplication
{
    /// <summary>The default value for the HTTP address: port 5080 on loopback.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Where the Orleans Dashboard is served.</summary>
    public const string OrleansDashboardPath = "/dashboard";

    /// <summary>Builds the application; <paramref name="configure"/> adds the transport and anything else.</summary>
    public static WebApplication Build(IReadOnlyDictionary<string, string?> overrides, Action<IServiceCollection, IConfiguration> configure)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Configuration.AddEnvironmentVariables("TICKER_");
        builder.Configuration.AddInMemoryCollection(overrides);
        builder.Logging.ClearProviders();
        Commands.CommandLogging.AddSingleLineConsole(builder.Logging);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);

        // Orleans suggests server GC at every start; the silo runs workstation concurrent GC on purpose (Silo.csproj).
        builder.Logging.AddFilter("Orleans.Runtime.Silo", LogLevel.Error);

        // A start-up failure is reported once, as one readable line (RunAsync); the host's own stack trace is noise.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);

        // The memory queue's reads cancelled by a normal shutdown are logged as errors by Orleans; they lose nothing.
        builder.Logging.AddFilter("Orleans.Providers.MemoryAdapterReceiver", LogLevel.None);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        builder.WebHost.UseUrls(builder.Configuration["Http:Url"] ?? DefaultUrl);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        // The transport first: its silo starts before, and stops after, the feeds and services added next.
        configure(builder.Services, builder.Configuration);
        builder.Services.AddTickerSilo(builder.Configuration);

        var app = builder.Build();
        app.MapHealthChecks("/health");
        app.MapTickerApi();
        app.MapClusterApi();
        app.MapPrometheusMetrics();
        app.MapStatusPage();
        if (app.Services.HasOrleansSilo())
        {
            app.UseOrleansDashboardLink(OrleansDashboardPath);
            app.MapOrleansDashboard(routePrefix: OrleansDashboardPath);
        }

        return app;
    }

    /// <summary>
    /// Starts the application, runs until Ctrl-C, SIGTERM or <paramref name="duration"/>, and stops it gracefully.
    /// Bad configuration ends it at start-up with one readable line and exit code 2.
    /// </summary>
    public static async Task<int> RunAsync(WebApplication app, TimeSpan? duration, Func<IServiceProvider, CancellationToken, Task>? whileRunning = null)
    {
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsConfigurationError(ex))
        {
            await Console.Error.WriteLineAsync($"ticker: cannot start: {Describe(ex)}").ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            return 2;
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C or SIGTERM while the silo was still starting: nothing ran yet, so nothing is lost.
            await Console.Error.WriteLineAsync("ticker: stopped while starting").ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            return 0;
        }

        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        if (duration is { } d)
        {
            stop.CancelAfter(d);
        }

        var side = whileRunning?.Invoke(app.Services, stop.Token) ?? Task.CompletedTask;
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Duration over, or the host is stopping.
        }

        await app.StopAsync().ConfigureAwait(false);
        await side.ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        return 0;
    }

    private static bool IsConfigurationError(Exception ex) =>
        ex is OptionsValidationException or InvalidOperationException or FormatException or IOException or OrleansConfigurationException
        || ex.GetType().Name.Contains("Csv", StringComparison.Ordinal)
        || (ex.InnerException is { } inner && IsConfigurationError(inner));

    private static string Describe(Exception ex) => ex switch
    {
        OptionsValidationException v => "invalid configuration: " + string.Join("; ", v.Failures),
        { InnerException: OptionsValidationException inner } => Describe(inner),
        { InnerException: { } inner } => $"{ex.Message} ({inner.Message})",
        _ => ex.Message,
    };
}
