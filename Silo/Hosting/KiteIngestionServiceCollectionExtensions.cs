using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Ticker.Client.Kite;
using Ticker.Silo.Metrics;

namespace Ticker.Silo.Hosting;

/// <summary>Registers Kite ingestion: <see cref="KiteOptions"/> (validated at start) and the hosted service.</summary>
public static class KiteIngestionServiceCollectionExtensions
{
    /// <summary>
    /// Binds section <c>Kite</c>, validates it at start-up, reports connections to the <c>kite_*</c> metrics and adds <see cref="KiteIngestionHostedService"/>, which
    /// streams the configured accounts (none: it does nothing). Register it after the shard supervisor so it stops
    /// first and the silo drains what it wrote.
    /// </summary>
    public static IServiceCollection AddKiteIngestion(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<KiteOptions, KiteOptionsValidator>(configuration, KiteOptions.SectionName);
        services.AddSingleton<IKiteConnectionObserver>(static sp => new KiteMetricsObserver(sp.GetRequiredService<KiteInstruments>()));
        services.AddSingleton<KiteIngestionHostedService>();
        services.AddHostedService(static sp => sp.GetRequiredService<KiteIngestionHostedService>());
        return services;
    }
}
