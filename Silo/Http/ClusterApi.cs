using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Ticker.Silo.Cluster;

namespace Ticker.Silo.Http;

/// <summary><c>/api/cluster</c>: the silos, their heartbeats, and the owner of every shard.</summary>
public static class ClusterApi
{
    /// <summary>Maps <c>/api/cluster</c>.</summary>
    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/cluster", static (HttpContext context, IClusterView cluster) =>
        {
            var view = cluster.Current;
            return TickerApi.WriteJsonAsync(context, json =>
            {
                json.WriteStartObject();
                json.WriteStartArray("silos");
                foreach (var silo in view.Silos)
                {
                    json.WriteStartObject();
                    json.WriteString("silo_id", silo.SiloId);
                    json.WriteString("address", silo.Address);
                    json.WriteNumber("last_heartbeat_ms", silo.HeartbeatMs);
                    json.WriteBoolean("live", silo.Live);
                    json.WriteStartArray("shards");
                    for (var shard = 0; shard < view.Owners.Count; shard++)
                    {
                        if (view.Owners[shard] == silo.SiloId)
                        {
                            json.WriteNumberValue(shard);
                        }
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteStartArray("shards");
                for (var shard = 0; shard < view.Owners.Count; shard++)
                {
                    json.WriteStartObject();
                    json.WriteNumber("shard", shard);
                    if (view.Owners[shard] is { } owner)
                    {
                        json.WriteString("owner", owner);
                    }
                    else
                    {
                        json.WriteNull("owner");
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteNumber("takeovers", view.Takeovers);
                json.WriteEndObject();
            });
        });
        return app;
    }
}
