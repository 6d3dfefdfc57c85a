using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using Ticker.Protocol.Redis;

namespace Ticker.Streaming.Connection;

/// <summary>
/// The process's Redis connection for the tick stream providers: the container's <see cref="IConnectionMultiplexer"/>
/// when one is registered, otherwise one multiplexer per connection string, created once on first use and disposed
/// with the container.
/// </summary>
internal sealed class RedisTickStreamConnection : IAsyncDisposable
{
    private readonly IServiceProvider _services;
    private readonly ConcurrentDictionary<string, Lazy<Task<IConnectionMultiplexer>>> _created = new(StringComparer.Ordinal);

    /// <summary>Creates the holder over the container's services.</summary>
    public RedisTickStreamConnection(IServiceProvider services) => _services = services;

    /// <summary>The multiplexer to use for <paramref name="connectionString"/> (the container's one when it has one).</summary>
    public Task<IConnectionMultiplexer> GetAsync(string? connectionString)
    {
        if (_services.GetService<IConnectionMultiplexer>() is { } shared)
        {
            return Task.FromResult(shared);
        }

        if (connectionString is null)
        {
            throw new InvalidOperationException(
                "The Redis tick stream provider has no RedisTickStreamOptions.ConnectionString and the container has no IConnectionMultiplexer.");
        }

        return _created.GetOrAdd(connectionString, static text => new Lazy<Task<IConnectionMultiplexer>>(() => ConnectAsync(text))).Value;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _created.Values)
        {
            if (connection.IsValueCreated && connection.Value.IsCompletedSuccessfully)
            {
                var multiplexer = await connection.Value.ConfigureAwait(false);
                await multiplexer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<IConnectionMultiplexer> ConnectAsync(string connectionString)
    {
        // Starts even while Redis is down: commands fail (and are retried by the callers) until it is back.
        return await ConnectionMultiplexer.ConnectAsync(RedisConfiguration.ParseForService(connectionString)).ConfigureAwait(false);
    }
}
