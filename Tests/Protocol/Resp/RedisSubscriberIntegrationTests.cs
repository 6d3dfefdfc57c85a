using Ticker.Protocol.Resp;
using Ticker.Tests.Infrastructure;

namespace Ticker.Tests.Protocol.Resp;

[Collection(RedisServerCollection.Name)]
public sealed class RedisSubscriberIntegrationTests(RedisServerFixture server) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private RedisConnection _publisher = null!;
    private RedisSubscriber _subscriber = null!;

    public async Task InitializeAsync()
    {
        var options = RedisConnectionOptions.Parse(server.ConnectionString);
        _publisher = await RedisConnection.ConnectAsync(options);
        _subscriber = await RedisSubscriber.ConnectAsync(options);
    }

    public async Task DisposeAsync()
    {
        await _subscriber.DisposeAsync();
        await _publisher.DisposeAsync();
    }

    [Fact]
    public async Task Subscribed_channel_delivers_binary_payloads_in_order()
    {
        await _subscriber.SubscribeAsync("updates");
        var payloads = Enumerable.Range(0, 100).Select(i => new byte[] { (byte)i, 13, 10, 0, 255 }).ToArray();

        using var batch = new RedisBatch();
        foreach (var payload in payloads)
        {
            batch.BeginCommand(3);
            batch.Arg(RespLiterals.PUBLISH);
            batch.Arg("updates");
            batch.Arg(payload);
        }

        await _publisher.ExecuteAsync(batch);

        foreach (var payload in payloads)
        {
            var message = await _subscriber.Messages.ReadAsync().AsTask().WaitAsync(Patience);
            Assert.Equal("updates", message.Channel);
            Assert.Equal(payload, message.Payload);
            Assert.Null(message.Pattern);
        }
    }

    [Fact]
    public async Task Pattern_subscription_names_the_pattern_and_the_channel()
    {
        await _subscriber.PSubscribeAsync("snap:*");

        await _publisher.ExecuteAsync("PUBLISH", "snap:NIFTY", "x");
        var message = await _subscriber.Messages.ReadAsync().AsTask().WaitAsync(Patience);

        Assert.Equal(("snap:NIFTY", "snap:*"), (message.Channel, message.Pattern));
    }

    [Fact]
    public async Task Unsubscribe_stops_delivery()
    {
        await _subscriber.SubscribeAsync("a");
        await _subscriber.SubscribeAsync("b");

        await _subscriber.UnsubscribeAsync("a");
        var toA = (await _publisher.ExecuteAsync("PUBLISH", "a", "1")).AsInt64();
        var toB = (await _publisher.ExecuteAsync("PUBLISH", "b", "2")).AsInt64();

        Assert.Equal((0, 1), (toA, toB));
        var message = await _subscriber.Messages.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal("b", message.Channel);
    }

    [Fact]
    public async Task Punsubscribe_stops_pattern_delivery()
    {
        await _subscriber.PSubscribeAsync("p:*");

        await _subscriber.PUnsubscribeAsync("p:*");

        Assert.Equal(0, (await _publisher.ExecuteAsync("PUBLISH", "p:1", "x")).AsInt64());
    }

    [Fact]
    public async Task Slow_consumer_applies_back_pressure_instead_of_dropping()
    {
        await using var small = await RedisSubscriber.ConnectAsync(RedisConnectionOptions.Parse(server.ConnectionString), messageCapacity: 4);
        await small.SubscribeAsync("burst");
        using var batch = new RedisBatch();
        for (var i = 0; i < 500; i++)
        {
            batch.BeginCommand(3);
            batch.Arg(RespLiterals.PUBLISH);
            batch.Arg("burst");
            batch.Arg(i);
        }

        await _publisher.ExecuteAsync(batch);

        for (var i = 0; i < 500; i++)
        {
            var message = await small.Messages.ReadAsync().AsTask().WaitAsync(Patience);
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Text.Encoding.UTF8.GetString(message.Payload));
        }
    }

    [Fact]
    public async Task Dispose_completes_the_message_channel()
    {
        var subscriber = await RedisSubscriber.ConnectAsync(RedisConnectionOptions.Parse(server.ConnectionString));

        await subscriber.DisposeAsync();

        await subscriber.Messages.Completion.WaitAsync(Patience);
        Assert.False(subscriber.IsConnected);
    }
}
