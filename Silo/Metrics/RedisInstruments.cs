using System.Diagnostics.Metrics;

namespace Ticker.Silo.Metrics;

/// <summary>Redis client metrics (meter <see cref="MeterName"/>): commands, pipeline round trips, errors and reconnects.</summary>
/// <remarks>Recorded per pipeline (one batch write), not per command; each method allocates nothing.</remarks>
public sealed class RedisInstruments
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Ticker.Redis";

    /// <summary>Counter: Redis commands sent.</summary>
    public const string RedisCommandsTotal = "redis_commands_total";

    /// <summary>Histogram: time from writing a pipeline to reading its last reply.</summary>
    public const string RedisPipelineLatencySeconds = "redis_pipeline_latency_seconds";

    /// <summary>Counter <c>{error_type}</c>: Redis errors (connection, timeout, protocol, server).</summary>
    public const string RedisErrorsTotal = "redis_errors_total";

    /// <summary>Counter: reconnections to Redis.</summary>
    public const string RedisReconnectsTotal = "redis_reconnects_total";

    private const string ErrorTypeKey = "error_type";

    private static readonly KeyValuePair<string, object?>[] ErrorTypeTags = CreateErrorTypeTags();

    private readonly Counter<long> _commands;
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _reconnects;

    /// <summary>Creates the instruments on the meter <see cref="MeterName"/> of <paramref name="meterFactory"/>.</summary>
    public RedisInstruments(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _commands = meter.CreateCounter<long>(RedisCommandsTotal, "{command}", "Total Redis commands sent.");
        _latency = meter.CreateHistogram(RedisPipelineLatencySeconds, "s", "Time from writing a pipeline of Redis commands to reading its last reply.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricsCatalog.MillisecondLatencyBuckets });
        _errors = meter.CreateCounter<long>(RedisErrorsTotal, "{error}", "Total Redis errors, by type (connection, timeout, protocol, server).");
        _reconnects = meter.CreateCounter<long>(RedisReconnectsTotal, "{reconnect}", "Total reconnections to Redis.");

        _commands.Add(0);
        _reconnects.Add(0);
        foreach (var tag in ErrorTypeTags)
        {
            _errors.Add(0, tag);
        }
    }

    /// <summary>The metric names this class exports.</summary>
    public static IReadOnlyList<string> MetricNames { get; } = [RedisCommandsTotal, RedisPipelineLatencySeconds, RedisErrorsTotal, RedisReconnectsTotal];

    /// <summary>Records a pipeline: how many commands it carried and its round trip.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordPipeline(int commands, double elapsedSeconds)
    {
        _commands.Add(commands);
        _latency.Record(elapsedSeconds);
    }

    /// <summary>Records commands sent outside a timed pipeline.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordCommands(int commands) => _commands.Add(commands);

    /// <summary>Records an error.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordError(RedisErrorType errorType)
        => _errors.Add(1, ErrorTypeTags[(uint)errorType < (uint)ErrorTypeTags.Length ? (int)errorType : (int)RedisErrorType.Protocol]);

    /// <summary>Records a reconnection.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordReconnect() => _reconnects.Add(1);

    private static KeyValuePair<string, object?>[] CreateErrorTypeTags()
    {
        var values = Enum.GetValues<RedisErrorType>();
        var tags = new KeyValuePair<string, object?>[values.Length];
        foreach (var value in values)
        {
            tags[(int)value] = new(ErrorTypeKey, EnumLabel<RedisErrorType>.Of(value));
        }

        return tags;
    }
}
