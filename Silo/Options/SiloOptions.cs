namespace Ticker.Silo.Options;

/// <summary>Settings of the silo host. Section <c>Silo</c>.</summary>
public sealed class SiloOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Silo";

    /// <summary>The default value for <see cref="DrainTimeout"/>: 10 seconds.</summary>
    public static readonly TimeSpan DefaultDrainTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The default value for <see cref="ShardCount"/>: one shard per core.</summary>
    public static int DefaultShardCount => Environment.ProcessorCount;

    /// <summary>Shards the token space is split into (token mod N); every silo and feed of a cluster must agree; 1 to 1,024.</summary>
    public int ShardCount { get; set; } = DefaultShardCount;

    /// <summary>This silo's id in the cluster (default: host name and process id).</summary>
    public string SiloId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>How long shutdown waits for pending batches to be written; 0 to 5 minutes.</summary>
    public TimeSpan DrainTimeout { get; set; } = DefaultDrainTimeout;
}
