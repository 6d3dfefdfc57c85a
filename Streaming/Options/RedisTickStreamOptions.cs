namespace Ticker.Streaming.Options;

/// <summary>
/// Options of one Redis Streams tick stream provider (named options, the provider's name): where Redis is, how many
/// queues (<c>tick:in:{queue}</c>) the streams are spread over, how the receivers poll and take over, and the
/// producer's back-pressure bound. Checked at start-up by <see cref="RedisTickStreamOptionsValidator"/>.
/// </summary>
public sealed class RedisTickStreamOptions
{
    /// <summary>The default value for <see cref="QueueCount"/>.</summary>
    public const int DefaultQueueCount = 8;

    /// <summary>The default value for <see cref="ReadCount"/>.</summary>
    public const int DefaultReadCount = 64;

    /// <summary>The default value for <see cref="PollPeriod"/>.</summary>
    public static readonly TimeSpan DefaultPollPeriod = TimeSpan.FromMilliseconds(5);

    /// <summary>The default value for <see cref="MaxBacklog"/>.</summary>
    public const int DefaultMaxBacklog = 10_000;

    /// <summary>The default value for <see cref="MaxStreamLength"/>.</summary>
    public const int DefaultMaxStreamLength = 50_000;

    /// <summary>The default value for <see cref="ClaimMinIdle"/>.</summary>
    public static readonly TimeSpan DefaultClaimMinIdle = TimeSpan.FromSeconds(5);

    /// <summary>The default value for <see cref="PendingSweepPeriod"/>.</summary>
    public static readonly TimeSpan DefaultPendingSweepPeriod = TimeSpan.FromSeconds(5);

    /// <summary>The default value for <see cref="WriteTimeout"/>.</summary>
    public static readonly TimeSpan DefaultWriteTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The default value for <see cref="MaxRetryDelay"/>.</summary>
    public static readonly TimeSpan DefaultMaxRetryDelay = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A StackExchange.Redis connection string (<c>host:port,password=…</c>), used when no
    /// <c>IConnectionMultiplexer</c> is registered in the container. The password is never printed.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>How many queues (Redis streams <c>tick:in:0</c> … <c>tick:in:{N-1}</c>); stream key p goes to queue p % N.</summary>
    public int QueueCount { get; set; } = DefaultQueueCount;

    /// <summary>The most entries one XREADGROUP asks for (the pulling agent's cache may ask for fewer).</summary>
    public int ReadCount { get; set; } = DefaultReadCount;

    /// <summary>
    /// How often the pulling agent asks an idle queue for entries (Orleans' <c>GetQueueMsgsTimerPeriod</c>, 100 ms by
    /// default there). The receiver never blocks on Redis (the multiplexer is shared), so this bounds idle latency.
    /// </summary>
    public TimeSpan PollPeriod { get; set; } = DefaultPollPeriod;

    /// <summary>The producer waits while a queue's backlog (the group's pending plus unread entries) is at this bound.</summary>
    public int MaxBacklog { get; set; } = DefaultMaxBacklog;

    /// <summary>
    /// <c>XADD … MAXLEN ~</c>: the length streams are trimmed to. At least twice <see cref="MaxBacklog"/>, so trimming
    /// never reaches an entry the group has not acknowledged.
    /// </summary>
    public int MaxStreamLength { get; set; } = DefaultMaxStreamLength;

    /// <summary>
    /// How long an entry must have been pending for another consumer before a receiver's sweep takes it over. A
    /// receiver that starts takes over every entry pending for others at once, however briefly idle.
    /// </summary>
    public TimeSpan ClaimMinIdle { get; set; } = DefaultClaimMinIdle;

    /// <summary>How often a receiver looks for entries stranded in other consumers' pending lists.</summary>
    public TimeSpan PendingSweepPeriod { get; set; } = DefaultPendingSweepPeriod;

    /// <summary>How long one publish may wait (back-pressure and retries) before it fails to its caller.</summary>
    public TimeSpan WriteTimeout { get; set; } = DefaultWriteTimeout;

    /// <summary>The cap of the backoff between attempts after a Redis error (jittered, doubling from 20 ms).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = DefaultMaxRetryDelay;

    /// <inheritdoc />
    public override string ToString() =>
        $"QueueCount={QueueCount}, ReadCount={ReadCount}, PollPeriod={PollPeriod}, MaxBacklog={MaxBacklog}, MaxStreamLength={MaxStreamLength}, "
        + $"ClaimMinIdle={ClaimMinIdle}, PendingSweepPeriod={PendingSweepPeriod}, WriteTimeout={WriteTimeout}, MaxRetryDelay={MaxRetryDelay}, "
        + $"ConnectionString={Redact(ConnectionString)}";

    private static string Redact(string? connectionString)
    {
        if (connectionString is null)
        {
            return "(from the container)";
        }

        var parts = connectionString.Split(',');
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].TrimStart().StartsWith("password=", StringComparison.OrdinalIgnoreCase))
            {
                parts[i] = "password=***";
            }
        }

        return string.Join(',', parts);
    }
}
