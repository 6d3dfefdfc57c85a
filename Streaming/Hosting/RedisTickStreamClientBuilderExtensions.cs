using Orleans.Hosting;
using Orleans.Streams;
using Ticker.Streaming.Adapters;
using Ticker.Streaming.Options;

namespace Ticker.Streaming.Hosting;

/// <summary>Adds the Redis Streams tick stream provider to an Orleans client (the ingestion side: it produces only).</summary>
public static class RedisTickStreamClientBuilderExtensions
{
    /// <summary>Adds persistent stream provider <paramref name="name"/> over Redis Streams, for publishing.</summary>
    /// <param name="builder">The client.</param>
    /// <param name="name">The provider's name (the tick stream's is <c>ticks</c>).</param>
    /// <param name="configure">Sets the options (the same queue count as the silos'); validated when the client starts.</param>
    /// <param name="configureStream">Further Orleans stream settings, after these.</param>
    /// <returns>The client builder.</returns>
    public static IClientBuilder AddRedisTickStreams(
        this IClientBuilder builder, string name, Action<RedisTickStreamOptions> configure, Action<IClusterClientPersistentStreamConfigurator>? configureStream = null)
    {
        RedisTickStreamServices.Add(builder.Services, name);
        return builder.AddPersistentStreams(name, RedisTickQueueAdapterFactory.Create, streams =>
        {
            RedisTickStreamServices.Configure(streams, configure);
            streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            configureStream?.Invoke(streams);
        });
    }
}
