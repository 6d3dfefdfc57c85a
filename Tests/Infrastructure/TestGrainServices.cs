using Microsoft.Extensions.DependencyInjection;
using Ticker.Grains.Diagnostics;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Grains.Market;
using Ticker.Grains.Streams;
using Ticker.Grains.Validation;
using Ticker.Silo.Transports.Embedded;

namespace Ticker.Tests.Infrastructure;

/// <summary>What the ticker's grains need from a test silo: the test master, settings, validator (off), statistics and a shared store.</summary>
internal static class TestGrainServices
{
    /// <summary>Registers the grains' services for <paramref name="partitions"/> stream partitions, writing to <paramref name="store"/>.</summary>
    public static IServiceCollection AddTestGrainServices(this IServiceCollection services, int partitions, InMemorySnapshotStore store)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(TestMarket.Master);
        services.AddSingleton(new InstrumentSettings(new GreeksOptions(), new GrainOptions()));
        services.AddSingleton(new TickValidator(TestMarket.Master, new TickValidationOptions { Mode = ValidationMode.Off }));
        services.AddSingleton(new ShardMap(TestMarket.Master, partitions));
        services.AddSingleton<IPipelineObserver>(NullPipelineObserver.Instance);
        services.AddSingleton(new SiloStatistics(partitions));
        services.AddSingleton<ISnapshotSink>(store);
        services.AddSingleton<ISnapshotReader>(store);
        return services;
    }
}
