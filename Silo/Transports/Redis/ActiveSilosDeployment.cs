using Orleans.Runtime;
using Orleans.Streams;

namespace Ticker.Silo.Transports.Redis;

/// <summary>
/// The "deployment" Orleans' <see cref="DeploymentBasedQueueBalancer"/> spreads the stream queues over: the silos
/// membership lists as active right now, by name. So the balancer gives every active silo an equal share (queues / silos,
/// ±1) and moves queues when a silo joins, leaves or dies. Orleans' default consistent-ring balancer splits by hash
/// ranges instead, which with a few silos leaves one with noticeably more queues than another (5 to 3 of 8, seen).
/// </summary>
internal sealed class ActiveSilosDeployment : IDeploymentConfiguration
{
    private readonly ISiloStatusOracle _membership;

    /// <summary>Creates the view over <paramref name="membership"/>.</summary>
    public ActiveSilosDeployment(ISiloStatusOracle membership) => _membership = membership;

    /// <inheritdoc />
    public IList<string> GetAllSiloNames()
    {
        var names = new List<string>();
        foreach (var silo in _membership.GetApproximateSiloStatuses(onlyActive: true).Keys)
        {
            if (_membership.TryGetSiloName(silo, out var name))
            {
                names.Add(name);
            }
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }
}
