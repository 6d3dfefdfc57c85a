using Ticker.Grains.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ticker.Client.Synthetic;
using Ticker.Grains.Accounts;
using Ticker.Grains.Batching;
using Ticker.Grains.Instruments;
using Ticker.Grains.Market;
using Ticker.Grains.Streams;
using Ticker.Grains.Validation;
using Ticker.Silo.Diagnostics;
using Ticker.Silo.Metrics;
using Ticker.Silo.Options;

namespace Ticker.Silo.Hosting;

/// <summary>Registers what every silo has: options (validated at start-up), master, validator, statistics, metrics, status.</summary>
public static class SiloServiceCollectionExtensions
{
    /// <summary>Adds the silo's services and options bound from <paramref name="configuration"/>.</summary>
    public static IServiceCollection AddTickerSilo(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<SiloOptions, SiloOptionsValidator>(configuration, SiloOptions.SectionName);
        services.AddValidatedOptions<BatchingOptions, BatchingOptionsValidator>(configuration, BatchingOptions.SectionName);
        services.AddValidatedOptions<GrainOptions, GrainOptionsValidator>(configuration, GrainOptions.SectionName);
        services.AddValidatedOptions<GreeksOptions, GreeksOptionsValidator>(configuration, GreeksOptions.SectionName);
        services.AddValidatedOptions<TickValidationOptions, TickValidationOptionsValidator>(configuration, TickValidationOptions.SectionName);
        services.AddValidatedOptions<FeedOptions, FeedOptionsValidator>(configuration, FeedOptions.SectionName);
        services.AddOptions<MasterOptions>().Bind(configuration.GetSection(MasterOptions.SectionName));
        services.AddOptions<SyntheticMarketOptions>().Bind(configuration.GetSection(FeedOptions.SectionName));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(static sp => LoadMaster(sp.GetRequiredService<IOptions<MasterOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(static sp => new ShardMap(sp.GetRequiredService<InstrumentMaster>(), sp.GetRequiredService<IOptions<SiloOptions>>().Value.ShardCount));
        services.AddSingleton(static sp => new InstrumentSettings(sp.GetRequiredService<IOptions<GreeksOptions>>().Value, sp.GetRequiredService<IOptions<GrainOptions>>().Value));
        services.AddSingleton(static sp => new TickValidator(sp.GetRequiredService<InstrumentMaster>(), sp.GetRequiredService<IOptions<TickValidationOptions>>().Value));
        services.AddSingleton(static sp => new SiloStatistics(sp.GetRequiredService<IOptions<SiloOptions>>().Value.ShardCount));
        services.AddSingleton<AccountDirectory>();
        services.AddSingleton<LocalAccountSource>();
        services.AddTickerMetrics();
        services.AddSingleton<IPipelineObserver, MetricsShardObserver>();

        services.AddSingleton<StatusSampler>();
        services.AddHostedService(static sp => sp.GetRequiredService<StatusSampler>());
        services.AddHostedService<SiloGaugesService>();
        services.AddHealthChecks();
        services.AddKiteIngestion(configuration);
        return services;
    }

    /// <summary>Adds the synthetic feed as a hosted service (registered after the silo, so it stops first).</summary>
    public static IServiceCollection AddSyntheticFeed(this IServiceCollection services)
    {
        services.AddSingleton<SyntheticFeedHostedService>();
        services.AddHostedService(static sp => sp.GetRequiredService<SyntheticFeedHostedService>());
        return services;
    }

    /// <summary>Binds <typeparamref name="TOptions"/> to a section, validates it with <typeparamref name="TValidator"/> at start-up.</summary>
    public static IServiceCollection AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return services;
    }

    private static InstrumentMaster LoadMaster(MasterOptions options, TimeProvider time)
    {
        if (!string.IsNullOrWhiteSpace(options.File))
        {
            return InstrumentCsv.LoadFile(options.File);
        }

        return SyntheticMaster.Create(options.Date ?? SyntheticMaster.TodayInIndia(time));
    }
}
