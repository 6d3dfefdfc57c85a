using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;
using StackExchange.Redis;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Streaming.Options;
using Ticker.Streaming.Producer;
using Ticker.Streaming.Statistics;

namespace Ticker.Streaming.Adapters;

/// <summary>
/// The queue adapter: publishes a stream's <see cref="TickBatch"/>es to its queue (one entry per batch, through the
/// queue's <see cref="RedisTickQueueWriter"/>) and creates a <see cref="RedisTickQueueReceiver"/> per queue this silo
/// reads. Not rewindable: a consumer cannot ask for entries before the ones pending or new.
/// </summary>
internal sealed class RedisTickQueueAdapter : IQueueAdapter
{
    private readonly RedisTickQueueMapper _mapper;
    private readonly Func<Task<IConnectionMultiplexer>> _connect;
    private readonly RedisTickStreamOptions _options;
    private readonly RedisTickStreamStatistics _statistics;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly string _consumer;
    private readonly RedisTickQueueWriter[] _writers;
    private readonly RedisTickDeliveryFailureHandler[] _failures;

    /// <summary>
    /// Creates the adapter of provider <paramref name="name"/>; <paramref name="consumer"/> names this process in the
    /// consumer group; <paramref name="failures"/> are the queues' delivery failure handlers (index = queue).
    /// </summary>
    public RedisTickQueueAdapter(
        string name, RedisTickQueueMapper mapper, Func<Task<IConnectionMultiplexer>> connect, RedisTickStreamOptions options,
        RedisTickStreamStatistics statistics, TimeProvider time, ILoggerFactory loggers, string consumer, RedisTickDeliveryFailureHandler[] failures)
    {
        _failures = failures;
        Name = name;
        _mapper = mapper;
        _connect = connect;
        _options = options;
        _statistics = statistics;
        _time = time;
        _loggers = loggers;
        _consumer = consumer;
        RedisValue producer = Guid.NewGuid().ToString("N");
        var unsettled = new ConditionalWeakTable<TickBatch, StrongBox<StreamEntryId>>();
        var logger = loggers.CreateLogger<RedisTickQueueWriter>();
        _writers = new RedisTickQueueWriter[mapper.QueueCount];
        for (var queue = 0; queue < _writers.Length; queue++)
        {
            _writers[queue] = new RedisTickQueueWriter(queue, options, statistics, time, logger, producer, unsettled);
        }
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public bool IsRewindable => false;

    /// <inheritdoc />
    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    /// <inheritdoc />
    public async Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        var batches = new List<TickBatch>();
        foreach (var item in events)
        {
            batches.Add(item as TickBatch ?? throw new NotSupportedException(
                $"The Redis tick stream provider '{Name}' carries {nameof(TickBatch)} events only, not {item?.GetType().Name ?? "null"}."));
        }

        if (batches.Count == 0)
        {
            return;
        }

        var redis = (await _connect().ConfigureAwait(false)).GetDatabase();
        await _writers[_mapper.QueueIndexOf(streamId)].WriteAsync(redis, streamId, batches).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public IQueueAdapterReceiver CreateReceiver(QueueId queueId)
    {
        var queue = (int)queueId.GetNumericId();
        return new RedisTickQueueReceiver(queue, _consumer, _connect, _options, _statistics, _failures[queue], _time, _loggers.CreateLogger<RedisTickQueueReceiver>());
    }
}
