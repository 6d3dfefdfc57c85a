using Microsoft.Extensions.Options;
using Ticker.Silo.Options;

namespace Ticker.Silo.Membership;

/// <summary>The cluster of the embedded mode: this silo alone, whose pulling agents read every partition.</summary>
public sealed class SingleSiloView : IClusterView
{
    private readonly string _siloId;
    private readonly int _partitions;

    /// <summary>Creates the view.</summary>
    public SingleSiloView(IOptions<SiloOptions> silo)
    {
        _siloId = silo.Value.SiloId;
        _partitions = silo.Value.ShardCount;
    }

    /// <inheritdoc />
    public Task<ClusterView> GetAsync(CancellationToken cancellationToken)
    {
        var owners = new string?[_partitions];
        Array.Fill(owners, _siloId);
        return Task.FromResult(new ClusterView([new SiloEntry(_siloId, "", "Active", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), true)], owners));
    }
}
