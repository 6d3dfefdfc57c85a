using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;
using Ticker.Streaming.Connection;
using Ticker.Streaming.Options;
using Ticker.Streaming.Statistics;

namespace Ticker.Streaming.Adapters;

/// <summary>
/// Orleans' entry point to the Redis tick stream provider: the adapter, Orleans' simple queue cache (it hands
/// delivered entries back to <see cref="IQueueAdapterReceiver.MessagesDeliveredAsync(IList{IBatchContainer}, CancellationToken)"/>,
/// where they are acknowledged), the partition-to-queue mapper and, per queue, a failure handler that never faults a
/// subscription and has the queue's receiver deliver a failed entry again.
/// </summary>
public sealed class RedisTickQueueAdapterFactory : IQueueAdapterFactory
{
    private readonly string _name;
    private readonly RedisTickStreamOptions _options;
    private readonly RedisTickStreamConnection _connection;
    private readonly RedisTickStreamStatistics _statistics;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly string _consumer;
    private readonly RedisTickQueueMapper _mapper;
    private readonly SimpleQueueAdapterCache _cache;
    private readonly RedisTickDeliveryFailureHandler[] _failures;

    private RedisTickQueueAdapterFactory(string name, IServiceProvider services)
    {
        _name = name;
        _options = services.GetRequiredService<IOptionsMonitor<RedisTickStreamOptions>>().Get(name);
        _connection = services.GetRequiredService<RedisTickStreamConnection>();
        _statistics = services.GetRequiredKeyedService<RedisTickStreamStatistics>(name);
        _time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        _loggers = services.GetRequiredService<ILoggerFactory>();

        // The silo's address (unique per silo incarnation) names it in the consumer group; a client only produces.
        _consumer = services.GetService<ILocalSiloDetails>()?.SiloAddress.ToParsableString() ?? $"client-{Environment.ProcessId}";
        _mapper = new RedisTickQueueMapper(name, _options.QueueCount);
        _cache = new SimpleQueueAdapterCache(services.GetOptionsByName<SimpleQueueCacheOptions>(name), name, _loggers);
        _failures = new RedisTickDeliveryFailureHandler[_options.QueueCount];
        for (var queue = 0; queue < _failures.Length; queue++)
        {
            _failures[queue] = new RedisTickDeliveryFailureHandler(_statistics);
        }
    }

    /// <summary>Creates the factory of provider <paramref name="name"/> (Orleans calls this through the registration).</summary>
    public static IQueueAdapterFactory Create(IServiceProvider services, string name) => new RedisTickQueueAdapterFactory(name, services);

    /// <inheritdoc />
    public Task<IQueueAdapter> CreateAdapter() => CreateAdapter(CancellationToken.None);

    /// <inheritdoc />
    public Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) => Task.FromResult<IQueueAdapter>(
        new RedisTickQueueAdapter(
            _name, _mapper, () => _connection.GetAsync(_options.ConnectionString), _options, _statistics, _time, _loggers, _consumer, _failures));

    /// <inheritdoc />
    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    /// <inheritdoc />
    public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

    /// <inheritdoc />
    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) =>
        Task.FromResult<IStreamFailureHandler>(_failures[(int)queueId.GetNumericId()]);
}
