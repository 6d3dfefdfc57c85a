using Ticker.Grains.Interfaces.Accounts;
using Microsoft.Extensions.Hosting;
using Ticker.Protocol.Redis;
using Ticker.Protocol.Resp;
using Ticker.Silo.Hosting;

namespace Ticker.Silo.Transports.Redis;

/// <summary>Once a second, writes this process's accounts into <c>tick:accounts</c>, so every silo and client sees them.</summary>
public sealed class AccountStatePublisher : BackgroundService
{
    private readonly RedisConnector _connector;
    private readonly LocalAccountSource _accounts;
    private readonly TimeProvider _time;

    /// <summary>Creates the publisher.</summary>
    public AccountStatePublisher(RedisConnector connector, LocalAccountSource accounts, TimeProvider time)
    {
        _connector = connector;
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

        var redis = await _connector.GetAsync(cancellationToken).ConfigureAwait(false);
        using var batch = new RedisBatch();
        foreach (var account in accounts)
        {
            batch.BeginCommand(4);
            batch.Arg("HSET"u8);
            batch.Arg(TickerKeys.Accounts);
            batch.Arg(account.AccountId);
            batch.Arg(AccountStateJson.ToUtf8Bytes(account));
        }

        await redis.ExecuteAsync(batch, null, cancellationToken).ConfigureAwait(false);
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
                catch (RedisException)
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
        catch (Exception ex) when (ex is RedisException or OperationCanceledException)
        {
            // Best effort at shutdown.
        }
    }
}
