using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Hosting;
using Ticker.Streaming.Connection;
using Ticker.Streaming.Options;
using Ticker.Streaming.Statistics;

namespace Ticker.Streaming.Hosting;

/// <summary>What the silo and the client registration share: options with their validator, counters, the connection.</summary>
internal static class RedisTickStreamServices
{
    /// <summary>Registers the provider's options (named, validated at start-up), its counters and the process's connection.</summary>
    public static void Add(IServiceCollection services, string name)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisTickStreamOptions>, RedisTickStreamOptionsValidator>());
        services.TryAddSingleton<RedisTickStreamConnection>();
        services.TryAddKeyedSingleton<RedisTickStreamStatistics>(name);
    }

    /// <summary>Binds the provider's options to <paramref name="configure"/> and has them checked when the host starts.</summary>
    public static void Configure(IPersistentStreamConfigurator streams, Action<RedisTickStreamOptions> configure) =>
        streams.Configure<RedisTickStreamOptions>(options => options.Configure(configure).ValidateOnStart());
}
