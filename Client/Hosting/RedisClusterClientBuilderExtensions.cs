using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Clustering.Redis;
using Orleans.Configuration;
using StackExchange.Redis;
using Ticker.Client.Library;
using Ticker.Grains.Interfaces.Market;
using Ticker.Streaming.Hosting;

namespace Ticker.Client.Hosting;

/// <summary>Makes an Orleans client a client of the ticker's cluster on Redis: membership and the tick stream provider.</summary>
public static class RedisClusterClientBuilderExtensions
{
    /// <summary>
    /// Finds the silos through Orleans Redis clustering and publishes ticks through the Redis Streams provider
    /// (<paramref name="queueCount"/> queues, the cluster's), both over the container's <see cref="IConnectionMultiplexer"/>.
    /// Connecting retries (once a second) until a silo answers or the start is cancelled.
    /// </summary>
    public static IClientBuilder UseTickerRedisCluster(this IClientBuilder client, int queueCount)
    {
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = TickerGrainClient.ClusterId;
            o.ServiceId = TickerGrainClient.ClusterId;
        });
        client.UseRedisClustering(_ => { });
        client.Services.AddOptions<RedisClusteringOptions>().Configure<IConnectionMultiplexer>(static (o, redis) =>
        {
            o.ConfigurationOptions = new ConfigurationOptions();
            o.CreateMultiplexer = _ => Task.FromResult((redis, true));
        });
        client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
        client.AddRedisTickStreams(ITickPartitionGrain.StreamProvider, o => o.QueueCount = queueCount);
        client.UseConnectionRetryFilter(static async (_, cancellationToken) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            return !cancellationToken.IsCancellationRequested;
        });
        return client;
    }
}
