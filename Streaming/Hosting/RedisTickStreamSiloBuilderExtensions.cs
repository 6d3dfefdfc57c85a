using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Streams;
using Ticker.Streaming.Adapters;
using Ticker.Streaming.Options;

namespace Ticker.Streaming.Hosting;

/// <summary>Adds the Redis Streams tick stream provider to a silo.</summary>
public static class RedisTickStreamSiloBuilderExtensions
{
    /// <summary>
    /// Adds persistent stream provider <paramref name="name"/> over Redis Streams: its queues are read by pulling
    /// agents (Orleans spreads the queues over the silos) every <see cref="RedisTickStreamOptions.PollPeriod"/>; the
    /// streams are consumed by implicit subscriptions (change with <paramref name="configureStream"/>).
    /// </summary>
    /// <param name="builder">The silo.</param>
    /// <param name="name">The provider's name (the tick stream's is <c>ticks</c>).</param>
    /// <param name="configure">Sets the options; they are validated when the silo starts.</param>
    /// <param name="configureStream">Further Orleans stream settings (cache size, balancer, pub-sub), after these.</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder AddRedisTickStreams(
        this ISiloBuilder builder, string name, Action<RedisTickStreamOptions> configure, Action<ISiloPersistentStreamConfigurator>? configureStream = null)
    {
        RedisTickStreamServices.Add(builder.Services, name);
        return builder.AddPersistentStreams(name, RedisTickQueueAdapterFactory.Create, streams =>
        {
            RedisTickStreamServices.Configure(streams, configure);
            streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            streams.ConfigurePullingAgent(agent => agent.Configure<IOptionsMonitor<RedisTickStreamOptions>>(
                (pulling, options) => pulling.GetQueueMsgsTimerPeriod = options.Get(name).PollPeriod));
            configureStream?.Invoke(streams);
        });
    }
}
