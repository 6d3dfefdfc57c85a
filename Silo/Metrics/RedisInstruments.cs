using Prometheus;

namespace Ticker.Silo.Metrics;

/// <summary>Redis client metrics (prometheus-net): commands, pipeline round trips, errors and reconnects.</summary>
/// <remarks>Recorded per pipeline (one batch write), not per command; each method allocates nothing.</remarks>
public sealed class RedisInstruments
{
    /// <summary>Counter: Redis commands sent.</summary>
    public const string RedisCommandsTotal = "redis_commands_total";

    /// <summary>Histogram: time from writing a pipeline to reading its last reply.</summary>
    public const string RedisPipelineLatencySeconds = "redis_pipeline_latency_seconds";

    /// <summary>Counter <c>{error_type}</c>: Redis errors (connection, timeout, protocol, server).</summary>
    public const string RedisErrorsTotal = "redis_errors_total";

    /// <summary>Counter: reconnections to Redis.</summary>
    public const string RedisReconnectsTotal = "redis_reconnects_total";

    private const string ErrorTypeKey = "error_type";

    private readonly Counter _commands;
    private readonly Histogram _latency;
    private readonly Counter.Child[] _errors;
    private readonly Counter _reconnects;

    /// <summary>Creates the metrics in <paramref name="registry"/>.</summary>
    public RedisInstruments(CollectorRegistry registry)
    {
        var factory = MetricsCatalog.CreateFactory(registry);
        _commands = factory.CreateCounter(RedisCommandsTotal, "Total Redis commands sent.");
        _latency = factory.CreateHistogram(RedisPipelineLatencySeconds, "Time from writing a pipeline of Redis commands to reading its last reply.",
            new HistogramConfiguration { Buckets = MetricsCatalog.MillisecondLatencyBuckets });
        var errors = factory.CreateCounter(RedisErrorsTotal, "Total Redis errors, by type (connection, timeout, protocol, server).", [ErrorTypeKey]);
        _reconnects = factory.CreateCounter(RedisReconnectsTotal, "Total reconnections to Redis.");
        var errorTypes = Enum.GetValues<RedisErrorType>();
        _errors = new Counter.Child[errorTypes.Length];
        foreach (var errorType in errorTypes)
        {
            _errors[(int)errorType] = errors.WithLabels(EnumLabel<RedisErrorType>.Of(errorType));
        }
    }

    /// <summary>The metric names this class exports.</summary>
    public static IReadOnlyList<string> MetricNames { get; } = [RedisCommandsTotal, RedisPipelineLatencySeconds, RedisErrorsTotal, RedisReconnectsTotal];

    /// <summary>Records a pipeline: the commands it sent and the time to its last reply.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordPipeline(int commands, double elapsedSeconds)
    {
        _commands.Inc(commands);
        _latency.Observe(elapsedSeconds);
    }

    /// <summary>Records commands sent outside a timed pipeline.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordCommands(int commands) => _commands.Inc(commands);

    /// <summary>Records a Redis error.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordError(RedisErrorType errorType)
        => _errors[(uint)errorType < (uint)_errors.Length ? (int)errorType : (int)RedisErrorType.Protocol].Inc();

    /// <summary>Records a reconnection.</summary>
    public void RecordReconnect() => _reconnects.Inc();
}
