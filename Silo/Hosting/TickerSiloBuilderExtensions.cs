using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Hosting;
using Ticker.Grains.Market;
using Ticker.Silo.Options;

namespace Ticker.Silo.Hosting;

/// <summary>What every ticker silo sets on Orleans, embedded or on Redis: grain collection, the silo's name, the Dashboard.</summary>
internal static class TickerSiloBuilderExtensions
{
    /// <summary>Applies the ticker's grain settings from <paramref name="configuration"/> to <paramref name="silo"/>.</summary>
    public static ISiloBuilder AddTickerSiloSettings(this ISiloBuilder silo, IConfiguration configuration)
    {
        var idle = configuration.GetValue(GrainOptions.SectionName + ":" + nameof(GrainOptions.IdleDeactivation), GrainOptions.DefaultIdleDeactivation);
        var name = configuration[Options.SiloOptions.SectionName + ":" + nameof(Options.SiloOptions.SiloId)];
        silo.Configure<GrainCollectionOptions>(o =>
        {
            // Orleans looks for idle grains once per quantum and needs the age above it: a shorter idle period
            // (tests, small machines) gets a shorter quantum.
            var age = idle >= TimeSpan.FromSeconds(2) ? idle : GrainOptions.DefaultIdleDeactivation;
            o.CollectionQuantum = TimeSpan.FromTicks(Math.Min(o.CollectionQuantum.Ticks, age.Ticks / 2));
            o.ClassSpecificCollectionAge[typeof(TickPartitionGrain).FullName!] = age;
        });
        if (!string.IsNullOrWhiteSpace(name))
        {
            silo.Configure<Orleans.Configuration.SiloOptions>(o => o.SiloName = name);
        }

        silo.AddDashboard();
        return silo;
    }

    /// <summary>The stream settings shared by both modes: how many queued events one delivery to a partition consumer takes.</summary>
    public static int DeliveryBatchSize(this OrleansHostOptions host) => Math.Clamp(host.DeliveryBatchSize, 1, 10_000);
}
