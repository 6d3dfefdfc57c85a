using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Ticker.Silo.Membership;

namespace Ticker.Silo.Http;

/// <summary><c>/api/cluster</c>: the silos of Orleans' membership, their status and heartbeat, and who pulls each stream queue.</summary>
public static class ClusterApi
{
    /// <summary>Maps <c>/api/cluster</c>.</summary>
    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/cluster", static async (HttpContext context, IClusterView cluster) =>
        {
            var view = await cluster.GetAsync(context.RequestAborted).ConfigureAwait(false);
            await TickerApi.WriteJsonAsync(context, json =>
            {
                json.WriteStartObject();
                json.WriteStartArray("silos");
                foreach (var silo in view.Silos)
                {
                    json.WriteStartObject();
                    json.WriteString("silo_id", silo.Name);
                    json.WriteString("address", silo.Address);
                    json.WriteString("status", silo.Status);
                    json.WriteNumber("last_heartbeat_ms", silo.HeartbeatMs);
                    json.WriteBoolean("live", silo.Live);
                    json.WriteStartArray("queues");
                    for (var queue = 0; queue < view.QueueOwners.Count; queue++)
                    {
                        if (silo.Live && view.QueueOwners[queue] == silo.Name)
                        {
                            json.WriteNumberValue(queue);
                        }
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteStartArray("queues");
                for (var queue = 0; queue < view.QueueOwners.Count; queue++)
                {
                    json.WriteStartObject();
                    json.WriteNumber("queue", queue);
                    if (view.QueueOwners[queue] is { } owner)
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
                json.WriteEndObject();
            }).ConfigureAwait(false);
        });
        return app;
    }
}
