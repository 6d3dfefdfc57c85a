using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;
using Ticker.Protocol.Redis;

namespace Ticker.Silo.Transports.Redis;

/// <summary>Ready only while the process's Redis multiplexer is connected.</summary>
public sealed class RedisHealthCheck : IHealthCheck
{
    private readonly IConnectionMultiplexer _redis;

    /// <summary>Creates the check.</summary>
    /// <param name="redis">The process's multiplexer.</param>
    public RedisHealthCheck(IConnectionMultiplexer redis) => _redis = redis;

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // Endpoints only: the configuration string may hold a password.
        var endpoints = string.Join(',', Array.ConvertAll(_redis.GetEndPoints(), RedisConfiguration.Describe));
        return Task.FromResult(_redis.IsConnected
            ? HealthCheckResult.Healthy($"Redis {endpoints} connected")
            : HealthCheckResult.Unhealthy($"Redis {endpoints} unreachable; holding ticks and retrying"));
    }
}
