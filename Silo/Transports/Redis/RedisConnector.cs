using Microsoft.Extensions.Logging;
using Ticker.Protocol.Resp;

namespace Ticker.Silo.Transports.Redis;

/// <summary>
/// Opens the process's Redis connections: one shared, multiplexed connection (snapshots, acks, admin) and dedicated
/// ones for blocking reads. The first connect is retried with capped backoff until it succeeds, so a silo started
/// before Redis waits (unready) instead of failing; after that each connection reconnects by itself.
/// </summary>
public sealed partial class RedisConnector : IAsyncDisposable
{
    private readonly RedisConnectionOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<RedisConnection> _dedicated = [];
    private RedisConnection? _shared;

    /// <summary>Creates a connector for <paramref name="connectionString"/>.</summary>
    public RedisConnector(string connectionString, ILoggerFactory loggers)
    {
        _options = RedisConnectionOptions.Parse(connectionString);
        _loggers = loggers;
        _logger = loggers.CreateLogger<RedisConnector>();
    }

    /// <summary>Where it connects, password redacted.</summary>
    public string Description => _options.ToString();

    /// <summary>Whether the shared connection exists and is up.</summary>
    public bool IsConnected => _shared?.IsConnected == true;

    /// <summary>The shared connection, or null before it first connected.</summary>
    public RedisConnection? Shared => _shared;

    /// <summary>Reconnects of the shared connection so far.</summary>
    public long Reconnects => _shared?.ReconnectCount ?? 0;

    /// <summary>The shared connection, connecting on first use.</summary>
    public async ValueTask<RedisConnection> GetAsync(CancellationToken cancellationToken)
    {
        if (_shared is { } shared)
        {
            return shared;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _shared ??= await ConnectWithRetryAsync("shared", cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A new connection of its own (for blocking reads), disposed with the connector.</summary>
    public async ValueTask<RedisConnection> ConnectDedicatedAsync(string purpose, CancellationToken cancellationToken)
    {
        var connection = await ConnectWithRetryAsync(purpose, cancellationToken).ConfigureAwait(false);
        lock (_dedicated)
        {
            _dedicated.Add(connection);
        }

        return connection;
    }

    /// <summary>Closes a dedicated connection early.</summary>
    public async ValueTask ReleaseAsync(RedisConnection connection)
    {
        lock (_dedicated)
        {
            _dedicated.Remove(connection);
        }

        await connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        RedisConnection[] all;
        lock (_dedicated)
        {
            all = [.. _dedicated];
            _dedicated.Clear();
        }

        foreach (var connection in all)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        if (_shared is { } shared)
        {
            await shared.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
    }

    private async Task<RedisConnection> ConnectWithRetryAsync(string purpose, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RedisConnection.ConnectAsync(_options, _loggers.CreateLogger<RedisConnection>(), null, cancellationToken).ConfigureAwait(false);
            }
            catch (RedisException ex) when (!cancellationToken.IsCancellationRequested && ex is not RedisAuthenticationException)
            {
                if (attempt == 1 || attempt % 10 == 0)
                {
                    LogConnectFailed(_logger, purpose, _options.EndPoint, attempt, ex.Message);
                }

                var delay = Math.Min(5_000, 100 * Math.Pow(2, Math.Min(attempt - 1, 10)));
                await Task.Delay(TimeSpan.FromMilliseconds(delay * (0.5 + (Random.Shared.NextDouble() * 0.5))), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis ({Purpose}): cannot connect to {EndPoint} (attempt {Attempt}), retrying: {Reason}")]
    private static partial void LogConnectFailed(ILogger logger, string purpose, string endPoint, int attempt, string reason);
}
