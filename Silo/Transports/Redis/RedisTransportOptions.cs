namespace Ticker.Silo.Transports.Redis;

/// <summary>Settings of the Redis transport. Section <c>Redis</c>.</summary>
public sealed class RedisTransportOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Redis";

    /// <summary>The default value for <see cref="StreamMaxLength"/>: 20,000 entries per shard.</summary>
    public const int DefaultStreamMaxLength = 20_000;

    /// <summary>The default value for <see cref="MaxBacklog"/>: 10,000 entries per shard.</summary>
    public const int DefaultMaxBacklog = 10_000;

    /// <summary>The default value for <see cref="ReadCount"/>: 64 entries per read.</summary>
    public const int DefaultReadCount = 64;

    /// <summary>Connection string, e.g. <c>127.0.0.1:6379,password=…,user=…,ssl=true,db=0</c>. Empty: embedded mode.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Approximate length each <c>tick:in:{shard}</c> stream is trimmed to (<c>MAXLEN ~</c>); 100 to 10,000,000.</summary>
    public int StreamMaxLength { get; set; } = DefaultStreamMaxLength;

    /// <summary>
    /// Unacknowledged plus unread entries per shard at which writers wait for the silos to catch up; below
    /// <see cref="StreamMaxLength"/>, so trimming never drops an entry the group still needs.
    /// </summary>
    public int MaxBacklog { get; set; } = DefaultMaxBacklog;

    /// <summary>Entries fetched per XREADGROUP; 1 to 10,000.</summary>
    public int ReadCount { get; set; } = DefaultReadCount;

    /// <summary>PUBLISH each flushed batch on <c>tick:updates:{underlying}</c>.</summary>
    public bool PublishUpdates { get; set; } = true;

    /// <inheritdoc />
    public override string ToString() =>
        $"Redis {{ ConnectionString = {(ConnectionString is null ? "(none)" : Protocol.Resp.RedisConnectionOptions.Parse(ConnectionString).ToString())}, StreamMaxLength = {StreamMaxLength}, MaxBacklog = {MaxBacklog} }}";
}
