using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Ticker.Silo.Diagnostics;
using Ticker.Silo.Hosting;
using Ticker.Silo.Transports.Redis;

namespace Ticker.Silo.Commands;

/// <summary><c>./ticker demo</c>: a silo in embedded mode with the synthetic feed, one status line a second.</summary>
internal static class DemoCommand
{
    /// <summary>Creates the subcommand.</summary>
    public static Command Create()
    {
        var duration = CommonOptions.Duration();
        var instruments = new Option<int?>("--instruments") { Description = "Instruments to tick: underlyings, then options nearest the money (default: all)." };
        var rate = new Option<double?>("--rate") { Description = "Ticks per second to offer (default 20000; 0: as fast as it goes)." };
        var http = CommonOptions.Http();
        var master = CommonOptions.Master();
        var shards = CommonOptions.Shards();
        var noBatching = CommonOptions.NoBatching();
        var conflate = CommonOptions.Conflate();
        var redis = CommonOptions.Redis();
        var command = new Command("demo", "Run a silo with the synthetic NIFTY/BANKNIFTY feed in one process (embedded, or on Redis with --redis), a status line a second.")
        {
            duration, instruments, rate, http, master, shards, noBatching, conflate, redis,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var settings = new Dictionary<string, string?>
            {
                ["Http:Url"] = parse.GetValue(http),
            };
            Set(settings, "Feed:Instruments", parse.GetValue(instruments));
            Set(settings, "Feed:Rate", parse.GetValue(rate));
            CommonOptions.AddShards(settings, parse.GetValue(shards));
            CommonOptions.AddBatching(settings, parse.GetValue(noBatching), parse.GetValue(conflate));
            CommonOptions.AddRedis(settings, parse.GetValue(redis));

            CommonOptions.AddMaster(settings, parse.GetValue(master));
            var seconds = parse.GetValue(duration);
            return RunAsync(settings, seconds is { } s ? TimeSpan.FromSeconds(s) : null);
        });
        return command;
    }

    private static async Task<int> RunAsync(Dictionary<string, string?> settings, TimeSpan? duration)
    {
        var useRedis = settings.ContainsKey("Redis:ConnectionString");
        var app = SiloApplication.Build(settings, (services, configuration) =>
        {
            if (useRedis)
            {
                services.AddRedisSilo(configuration);
            }
            else
            {
                services.AddEmbeddedSilo(configuration);
            }

            services.AddSyntheticFeed();
        });
        var url = settings["Http:Url"];
        var mode = useRedis ? "on Redis" : "in embedded mode";
        return await SiloApplication.RunAsync(app, duration, (services, token) =>
        {
            var sampler = services.GetRequiredService<StatusSampler>();
            Console.Out.WriteLine($"demo: silo {mode}; API at {url}/api/chain/NIFTY, health at {url}/health. Ctrl-C stops.");
            if (services.GetService<OrleansEndpoints>() is { } orleans)
            {
                Console.Out.WriteLine($"demo: Orleans Dashboard at {url}/dashboard/, status page at {url}/status, Orleans gateway on port {orleans.GatewayPort}.");
            }

            sampler.Sampled += static sample => Console.Out.WriteLine(FormatStatus(sample));
            return Task.CompletedTask;
        }).ConfigureAwait(false);
    }

    /// <summary>The demo's status line.</summary>
    internal static string FormatStatus(StatusSample s) => string.Create(
        CultureInfo.InvariantCulture,
        $"{s.At.ToLocalTime():HH:mm:ss}  ticks/s {s.TicksPerSecond,9:N0}  p99 {s.ProcessingP99Us,7:N1} µs  e2e p99 {s.EndToEndP99Ms,7:N2} ms  instruments {s.ActiveGrains,6:N0}  batches {s.BatchesFlushed,9:N0}  validation errors {s.InvalidTicks:N0}");

    private static void Set<T>(Dictionary<string, string?> settings, string key, T? value)
        where T : struct, IFormattable
    {
        if (value is { } v)
        {
            settings[key] = v.ToString(null, CultureInfo.InvariantCulture);
        }
    }
}
