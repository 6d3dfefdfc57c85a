using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Ticker.Silo.Hosting;
using Ticker.Silo.Transports.Redis;

namespace Ticker.Silo.Commands;

/// <summary><c>./ticker silo --redis CONN</c>: an Orleans silo of the cluster on Redis (embedded without <c>--redis</c>).</summary>
internal static class SiloCommand
{
    /// <summary>Creates the subcommand.</summary>
    public static Command Create()
    {
        var redis = CommonOptions.Redis();
        var http = CommonOptions.Http();
        var siloId = new Option<string?>("--silo-id") { Description = "This silo's id in the cluster (default: host name and process id)." };
        var siloPort = new Option<int?>("--silo-port") { Description = "Orleans silo-to-silo port (default: a free one)." };
        var gatewayPort = new Option<int?>("--gateway-port") { Description = "Orleans gateway port for clients (default: a free one)." };
        var master = CommonOptions.Master();
        var shards = CommonOptions.Shards();
        var duration = CommonOptions.Duration();
        var noBatching = CommonOptions.NoBatching();
        var conflate = CommonOptions.Conflate();
        var command = new Command("silo", "Run a silo: read the tick streams, apply ticks to grains (IV + Greeks), write snapshots (Redis, or embedded without --redis).")
        {
            redis, http, siloId, siloPort, gatewayPort, master, shards, duration, noBatching, conflate,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var settings = new Dictionary<string, string?> { ["Http:Url"] = parse.GetValue(http) };
            CommonOptions.AddRedis(settings, parse.GetValue(redis));
            if (parse.GetValue(siloId) is { } id)
            {
                settings["Silo:SiloId"] = id;
            }

            if (parse.GetValue(siloPort) is { } silo)
            {
                settings["Orleans:SiloPort"] = silo.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (parse.GetValue(gatewayPort) is { } gateway)
            {
                settings["Orleans:GatewayPort"] = gateway.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            CommonOptions.AddMaster(settings, parse.GetValue(master));
            CommonOptions.AddShards(settings, parse.GetValue(shards));
            CommonOptions.AddBatching(settings, parse.GetValue(noBatching), parse.GetValue(conflate));
            var useRedis = parse.GetValue(redis) is not null;
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
            });
            var seconds = parse.GetValue(duration);
            return SiloApplication.RunAsync(app, seconds is { } s ? TimeSpan.FromSeconds(s) : null);
        });
        return command;
    }
}
