using Microsoft.Extensions.Hosting;

namespace Ticker.Silo.Hosting;

/// <summary>A silo alone owns every shard (the embedded mode, like Orleans' localhost clustering).</summary>
public sealed class AllShardsOwnership : IHostedService
{
    private readonly ShardSupervisor _supervisor;

    /// <summary>Creates the policy.</summary>
    public AllShardsOwnership(ShardSupervisor supervisor) => _supervisor = supervisor;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        for (var shard = 0; shard < _supervisor.ShardCount; shard++)
        {
            await _supervisor.StartShardAsync(shard, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
