using Microsoft.Extensions.Options;
using Ticker.Silo.Hosting;
using Ticker.Silo.Options;

namespace Ticker.Silo.Cluster;

/// <summary>The cluster of the embedded mode: this silo alone, owning what its supervisor runs.</summary>
public sealed class SingleSiloView : IClusterView
{
    private readonly ShardSupervisor _supervisor;
    private readonly string _siloId;

    /// <summary>Creates the view.</summary>
    public SingleSiloView(ShardSupervisor supervisor, IOptions<SiloOptions> silo)
    {
        _supervisor = supervisor;
        _siloId = silo.Value.SiloId;
    }

    /// <inheritdoc />
    public ClusterView Current
    {
        get
        {
            var owners = new string?[_supervisor.ShardCount];
            foreach (var shard in _supervisor.OwnedShards)
            {
                owners[shard] = _siloId;
            }

            return new ClusterView([new SiloEntry(_siloId, "", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), true)], owners, 0);
        }
    }
}
