using Ticker.Protocol.Redis;

namespace Ticker.Silo.Transports.Redis;

/// <summary>Where Redis is and what is published there. Section <c>Redis</c>.</summary>
public sealed class RedisTransportOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Redis";

    /// <summary>
    /// StackExchange.Redis connection string, e.g. <c>127.0.0.1:6379,password=…,user=…,ssl=true</c>. One
    /// multiplexer per process carries Orleans' membership, the tick streams and the snapshots.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>PUBLISH each flushed batch on <c>tick:updates:{underlying}</c>.</summary>
    public bool PublishUpdates { get; set; } = true;

    /// <inheritdoc />
    public override string ToString() => $"Redis {{ ConnectionString = {RedisConfiguration.Describe(ConnectionString)}, PublishUpdates = {PublishUpdates} }}";
}
