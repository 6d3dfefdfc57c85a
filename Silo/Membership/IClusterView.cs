namespace Ticker.Silo.Membership;

/// <summary>Gives the current <see cref="ClusterView"/> (for <c>/api/cluster</c> and the status page).</summary>
public interface IClusterView
{
    /// <summary>The cluster as it is now.</summary>
    Task<ClusterView> GetAsync(CancellationToken cancellationToken);
}
