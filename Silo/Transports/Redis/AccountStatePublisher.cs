using Ticker.Grains.Interfaces.Accounts;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;
using Ticker.Protocol.Redis;
using Ticker.Silo.Hosting;

namespace Ticker.Silo.Transports.Redis;

/// <summary>Once a second, writes this process's accounts into <c>tick:accounts</c>, so every silo and client sees them.</summary>
public sealed class AccountStatePublisher : BackgroundService
{
    private readonly IConnectionMultiplexer _redis;
    private readonly LocalAccountSource _accounts;
    private readonly TimeProvider _time;

    /// <summary>Creates the publisher.</summary>
    /// <param name="redis">The process's multiplexer.</param>
    /// <param name="accounts">This process's accounts.</param>
    /// <param name="time">The clock of the once-a-second timer.</param>
    public AccountStatePublisher(IConnectionMultiplexer redis, LocalAccountSource accounts, TimeProvider time)
    {
        _redis = redis;
        _accounts = accounts;
        _time = time;
    }

    /// <summary>Writes the accounts now.</summary>
    public async Task PublishAsync(CancellationToken cancellationToken)
    {
        var accounts = _accounts.Current();
        if (accounts.Count == 0)
        {
            return;
        }

        var entries = new HashEntry[accounts.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = new HashEntry(accounts[i].AccountId, AccountStateJson.ToUtf8Bytes(accounts[i]));
        }

        await _redis.GetDatabase().HashSetAsync(TickerKeys.Accounts, entries).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await PublishAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    // Redis down: the next second tries again; readers see the record age meanwhile.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        // A last write, so readers see the final state (connections closed) rather than a stale "active".
        try
        {
            using var last = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await PublishAsync(last.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException)
        {
            // Best effort at shutdown.
        }
    }
}
