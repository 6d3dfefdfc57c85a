using System.CommandLine;

namespace Ticker.Silo.Commands;

/// <summary>Options several subcommands share, named the same everywhere.</summary>
internal static class CommonOptions
{
    /// <summary><c>--master FILE</c>: a Kite instruments CSV instead of the synthetic master.</summary>
    public static Option<FileInfo?> Master() => new("--master")
    {
        Description = "Kite instruments CSV to use instead of the synthetic master (every process of a run must use the same one).",
    };

    /// <summary><c>--http URL</c>.</summary>
    public static Option<string> Http() => new("--http")
    {
        Description = "Address of the HTTP API, dashboard and /metrics.",
        DefaultValueFactory = _ => Hosting.SiloApplication.DefaultUrl,
    };

    /// <summary><c>--shards N</c>.</summary>
    public static Option<int?> Shards() => new("--shards")
    {
        Description = "Shards the token space is split into (default: one per core). Feed and silos must agree.",
    };

    /// <summary><c>--duration SECONDS</c>.</summary>
    public static Option<double?> Duration() => new("--duration")
    {
        Description = "Stop after this many seconds (default: run until Ctrl-C).",
    };

    /// <summary><c>--redis CONN</c>.</summary>
    public static Option<string?> Redis() => new("--redis")
    {
        Description = "Redis connection string (host:port,password=…,user=…,ssl=true,db=0); also TICKER_Redis__ConnectionString.",
    };

    /// <summary><c>--no-batching</c>.</summary>
    public static Option<bool> NoBatching() => new("--no-batching")
    {
        Description = "Publish every tick on its own (the Phase 4 baseline).",
    };

    /// <summary><c>--conflate</c>.</summary>
    public static Option<bool> Conflate() => new("--conflate")
    {
        Description = "Keep only the latest snapshot per instrument in each batch.",
    };

    /// <summary>Adds <c>Redis:ConnectionString</c> when given.</summary>
    public static void AddRedis(Dictionary<string, string?> settings, string? redis)
    {
        if (!string.IsNullOrWhiteSpace(redis))
        {
            settings["Redis:ConnectionString"] = redis;
        }
    }

    /// <summary>Adds <c>Silo:ShardCount</c> when given.</summary>
    public static void AddShards(Dictionary<string, string?> settings, int? shards)
    {
        if (shards is { } n)
        {
            settings["Silo:ShardCount"] = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Adds the batching switches.</summary>
    public static void AddBatching(Dictionary<string, string?> settings, bool noBatching, bool conflate)
    {
        if (noBatching)
        {
            settings["Batching:Enabled"] = "false";
        }

        if (conflate)
        {
            settings["Batching:Conflate"] = "true";
        }
    }

    /// <summary>Adds <c>Master:File</c> when <paramref name="master"/> is given.</summary>
    public static void AddMaster(Dictionary<string, string?> settings, FileInfo? master)
    {
        if (master is not null)
        {
            settings["Master:File"] = master.FullName;
        }
    }
}
