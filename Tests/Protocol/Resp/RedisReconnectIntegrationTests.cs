using System.Collections.Concurrent;
using Ticker.Protocol.Resp;
using Ticker.Tests.Infrastructure;

namespace Ticker.Tests.Protocol.Resp;

public sealed class RedisReconnectIntegrationTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private RedisServerFixture _server = null!;

    public async Task InitializeAsync() =>
        _server = await RedisServerFixture.StartNewAsync(new RedisServerFixtureOptions { AppendOnly = true });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Connection_comes_back_by_itself_after_a_server_restart()
    {
        var options = RedisConnectionOptions.Parse(_server.ConnectionString + ",reconnectDelay=50,reconnectMaxDelay=500");
        await using var connection = await RedisConnection.ConnectAsync(options);
        var events = new ConcurrentQueue<RedisConnectionStateChangedEventArgs>();
        connection.ConnectionStateChanged += (_, e) => events.Enqueue(e);
        await connection.ExecuteAsync("SET", "kept", "yes");

        await _server.StopAsync();
        await WaitUntilAsync(() => !connection.IsConnected);
        var down = await Assert.ThrowsAsync<RedisConnectionException>(async () => await connection.ExecuteAsync("PING"));
        Assert.Contains(_server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), down.Message, StringComparison.Ordinal);

        await _server.StartAsync();
        await connection.WaitUntilConnectedAsync().WaitAsync(Patience);

        Assert.Equal("yes", (await connection.ExecuteAsync("GET", "kept")).AsString());
        Assert.Equal(1, connection.ReconnectCount);
        await WaitUntilAsync(() => events.Count >= 2);
        Assert.Equal([false, true], events.Select(e => e.IsConnected));
        Assert.NotNull(events.First().Failure);
        Assert.Equal(1, events.Last().ReconnectCount);
    }

    [Fact]
    public async Task Commands_in_flight_when_the_server_dies_fail_with_a_connection_error()
    {
        var options = RedisConnectionOptions.Parse(_server.ConnectionString + ",reconnectDelay=50,reconnectMaxDelay=500,commandTimeout=30000");
        await using var connection = await RedisConnection.ConnectAsync(options);
        var blocked = connection.ExecuteAsync("BLPOP", "never", 0).AsTask();

        _server.Kill();

        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => blocked.WaitAsync(Patience));
        Assert.NotNull(error.InnerException);

        await _server.StartAsync();
        await connection.WaitUntilConnectedAsync().WaitAsync(Patience);
        Assert.Equal("PONG", (await connection.ExecuteAsync("PING")).AsString());
    }

    [Fact]
    public async Task Reconnect_keeps_trying_while_the_server_stays_down()
    {
        var options = RedisConnectionOptions.Parse(_server.ConnectionString + ",reconnectDelay=20,reconnectMaxDelay=100,connectTimeout=500");
        await using var connection = await RedisConnection.ConnectAsync(options);

        _server.Kill();
        await WaitUntilAsync(() => !connection.IsConnected);
        // Several failed attempts (each refused at once) before the server is back.
        await Task.Delay(500);
        await _server.StartAsync();

        await connection.WaitUntilConnectedAsync().WaitAsync(Patience);
        Assert.Equal(1, connection.ReconnectCount);
    }

    [Fact]
    public async Task Subscriber_resubscribes_everything_after_a_restart()
    {
        var options = RedisConnectionOptions.Parse(_server.ConnectionString + ",reconnectDelay=50,reconnectMaxDelay=500");
        await using var subscriber = await RedisSubscriber.ConnectAsync(options);
        await subscriber.SubscribeAsync("ticks:live");
        await subscriber.PSubscribeAsync("snap:*");

        await _server.RestartAsync();
        await subscriber.WaitUntilConnectedAsync().WaitAsync(Patience);
        await using var publisher = await RedisConnection.ConnectAsync(options);

        // The resubscription is in flight once the connection is back; publish until it has landed.
        var channel = await PublishUntilReceivedAsync(publisher, subscriber, "ticks:live");
        var pattern = await PublishUntilReceivedAsync(publisher, subscriber, "snap:42");

        Assert.Null(channel.Pattern);
        Assert.Equal("snap:*", pattern.Pattern);
        Assert.Equal(1, subscriber.ReconnectCount);
    }

    private static async Task<RedisPubSubMessage> PublishUntilReceivedAsync(RedisConnection publisher, RedisSubscriber subscriber, string channel)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            var receivers = (await publisher.ExecuteAsync("PUBLISH", channel, "probe")).AsInt64();
            if (receivers > 0)
            {
                while (true)
                {
                    var message = await subscriber.Messages.ReadAsync().AsTask().WaitAsync(Patience);
                    if (message.Channel == channel)
                    {
                        return message;
                    }
                }
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"No subscriber on {channel} after {Patience}.");
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not hold in time.");
            }

            await Task.Delay(10);
        }
    }
}
