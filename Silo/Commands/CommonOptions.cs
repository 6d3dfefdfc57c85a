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

    /// <summary>Adds <c>Master:File</c> when <paramref name="master"/> is given.</summary>
    public static void AddMaster(Dictionary<string, string?> settings, FileInfo? master)
    {
        if (master is not null)
        {
            settings["Master:File"] = master.FullName;
        }
    }
}
