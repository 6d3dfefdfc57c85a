using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ticker.Silo.Transports.Redis;

/// <summary>Ready only while the shared Redis connection is up.</summary>
public sealed class RedisHealthCheck : IHealthCheck
{
    private readonly RedisConnector _connector;

    /// <summary>Creates the check.</summary>
    public RedisHealthCheck(RedisConnector connector) => _connector = connector;

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_connector.IsConnected
            ? HealthCheckResult.Healthy($"Redis {_connector.Description} connected")
            : HealthCheckResult.Unhealthy($"Redis {_connector.Description} unreachable; holding ticks and retrying"));
}
