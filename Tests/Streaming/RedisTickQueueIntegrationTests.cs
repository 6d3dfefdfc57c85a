using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using Orleans.Streams;
using StackExchange.Redis;
using Ticker.Grains.Interfaces.Market;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Protocol.Redis;
using Ticker.Streaming.Adapters;
using Ticker.Streaming.Options;
using Ticker.Streaming.Statistics;
using Ticker.Tests.Infrastructure;

namespace Ticker.Tests.Streaming;

/// <summary>The producer and the receivers of the Redis tick stream provider against a real redis-server.</summary>
[Collection(RedisServerCollection.Name)]
public sealed class RedisTickQueueIntegrationTests(RedisServerFixture server) : IAsyncLifetime
{
    private const int Queues = 2;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly RedisKey Queue0 = TickerKeys.InputStream(0);

    private readonly RedisTickStreamStatistics _statistics = new();
    private ConnectionMultiplexer _redis = null!;
    private RedisTickDeliveryFailureHandler[] _failures = [];

    private IDatabase Db => _redis.GetDatabase();

    public async Task InitializeAsync()
    {
        await server.FlushAllAsync();
        _redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString + ",asyncTimeout=500,syncTimeout=500");
    }

    public async Task DisposeAsync()
    {
        await server.CliAsync("CLIENT", "UNPAUSE");
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task A_write_whose_reply_was_lost_is_recognised_on_retry_and_not_duplicated()
    {
        var adapter = Adapter(new RedisTickStreamOptions { QueueCount = Queues });
        await Publish(adapter, 0, 100);

        // Writes stall in Redis for 3 s: the client gives up on the XADD (a timeout), Redis runs it afterwards.
        await server.CliAsync("CLIENT", "PAUSE", "3000", "WRITE");
        await Publish(adapter, 0, 101);

        Assert.Equal(2, await Db.StreamLengthAsync(Queue0));
        Assert.Equal(2, _statistics.EntriesWritten);
        Assert.True(_statistics.WriteRetries >= 1, "the lost reply should have been retried");
    }

    [Fact]
    public async Task A_publish_that_gave_up_with_its_outcome_unknown_is_not_duplicated_when_the_caller_retries_it()
    {
        var adapter = Adapter(new RedisTickStreamOptions { QueueCount = Queues, WriteTimeout = TimeSpan.FromMilliseconds(100) });
        await Publish(adapter, 0, 100);
        var batch = Batch(101);

        await server.CliAsync("CLIENT", "PAUSE", "3000", "WRITE");
        await Assert.ThrowsAsync<TimeoutException>(() => Publish(adapter, 0, batch));
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                await Publish(adapter, 0, batch);
                break;
            }
            catch (TimeoutException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }

        Assert.Equal(2, await Db.StreamLengthAsync(Queue0));
        Assert.Equal(2, _statistics.EntriesWritten);
    }

    [Fact]
    public async Task Entries_of_a_read_whose_reply_was_lost_are_read_again_from_the_pending_list()
    {
        var adapter = Adapter(new RedisTickStreamOptions { QueueCount = Queues });
        var receiver = adapter.CreateReceiver(QueueOf(adapter, 0));
        await receiver.Initialize(TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Empty(await receiver.GetQueueMessagesAsync(10, CancellationToken.None));
        await Publish(adapter, 0, 100);
        await Publish(adapter, 0, 101);

        // XREADGROUP is a write (it moves entries into the pending list): the client times out, Redis runs it later.
        await server.CliAsync("CLIENT", "PAUSE", "3000", "WRITE");
        Assert.Empty(await receiver.GetQueueMessagesAsync(10, CancellationToken.None));
        var delivered = await ReadAsync(receiver, 2);

        Assert.Equal([100, 101], delivered.Select(Price));
        Assert.True(_statistics.ReadFailures >= 1);
        await receiver.MessagesDeliveredAsync(delivered, CancellationToken.None);
        Assert.Equal(0, (await Db.StreamPendingAsync(Queue0, TickerKeys.ConsumerGroup)).PendingMessageCount);
        Assert.Empty(await receiver.GetQueueMessagesAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task Entries_pending_for_a_dead_consumer_are_taken_over_and_delivered_first_then_acknowledged()
    {
        var options = new RedisTickStreamOptions { QueueCount = Queues, ClaimMinIdle = TimeSpan.Zero };
        var adapter = Adapter(options);
        for (var i = 0; i < 3; i++)
        {
            await Publish(adapter, 0, 100 + i);
        }

        var orphaned = await Db.StreamReadGroupAsync(Queue0, TickerKeys.ConsumerGroup, "dead-silo", StackExchange.Redis.StreamPosition.NewMessages, 10);
        Assert.Equal(3, orphaned.Length);
        await Publish(adapter, 0, 200);
        await Publish(adapter, 0, 201);

        var receiver = adapter.CreateReceiver(QueueOf(adapter, 0));
        await receiver.Initialize(TimeSpan.FromSeconds(5), CancellationToken.None);
        var delivered = await ReadAsync(receiver, 5);

        Assert.Equal([100, 101, 102, 200, 201], delivered.Select(Price));
        Assert.Equal(orphaned.Select(e => e.Id.ToString()), delivered.Take(3).Select(c => ((RedisTickBatchContainer)c).EntryId.ToString()));
        Assert.Equal(3, _statistics.EntriesClaimed);
        Assert.Equal(5, (await Db.StreamPendingAsync(Queue0, TickerKeys.ConsumerGroup)).PendingMessageCount);
        Assert.Equal(["test-silo"], (await Db.StreamConsumerInfoAsync(Queue0, TickerKeys.ConsumerGroup)).Select(c => c.Name.ToString()));

        await receiver.MessagesDeliveredAsync(delivered, CancellationToken.None);

        Assert.Equal(0, (await Db.StreamPendingAsync(Queue0, TickerKeys.ConsumerGroup)).PendingMessageCount);
        Assert.Equal(5, _statistics.EntriesAcked);

        // Stopped: it reads and claims nothing more.
        await receiver.Shutdown(TimeSpan.FromSeconds(5), CancellationToken.None);
        await Publish(adapter, 0, 300);
        Assert.Empty(await receiver.GetQueueMessagesAsync(10, CancellationToken.None));
        Assert.Equal(1, (await Db.StreamGroupInfoAsync(Queue0)).Single().Lag);
    }

    [Fact]
    public async Task Entries_a_stale_consumer_read_after_the_takeover_are_swept_in_and_delivered()
    {
        var options = new RedisTickStreamOptions { QueueCount = Queues, ClaimMinIdle = TimeSpan.Zero, PendingSweepPeriod = TimeSpan.FromMilliseconds(100) };
        var adapter = Adapter(options);
        var receiver = adapter.CreateReceiver(QueueOf(adapter, 0));
        await receiver.Initialize(TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Empty(await receiver.GetQueueMessagesAsync(10, CancellationToken.None));

        // A paused silo wakes up and reads from the queue it no longer owns: the entries land in its pending list.
        await Publish(adapter, 0, 100);
        var stale = await Db.StreamReadGroupAsync(Queue0, TickerKeys.ConsumerGroup, "paused-silo", StackExchange.Redis.StreamPosition.NewMessages, 10);
        Assert.Single(stale);

        var delivered = await ReadAsync(receiver, 1);

        Assert.Equal([100], delivered.Select(Price));
        Assert.Equal(1, _statistics.EntriesClaimed);
        await receiver.MessagesDeliveredAsync(delivered, CancellationToken.None);
        Assert.Equal(0, (await Db.StreamPendingAsync(Queue0, TickerKeys.ConsumerGroup)).PendingMessageCount);
    }

    [Fact]
    public async Task An_entry_whose_delivery_Orleans_gave_up_on_is_delivered_again_once_nothing_is_in_flight()
    {
        var adapter = Adapter(new RedisTickStreamOptions { QueueCount = Queues });
        var receiver = adapter.CreateReceiver(QueueOf(adapter, 0));
        await receiver.Initialize(TimeSpan.FromSeconds(5), CancellationToken.None);
        await Publish(adapter, 0, 100);
        await Publish(adapter, 0, 101);
        var first = await ReadAsync(receiver, 2);

        // The agent reports the failure and hands back only the other entry.
        await _failures[0].OnDeliveryFailure(GuidId.GetNewGuidId(), "ticks", first[0].StreamId, first[0].SequenceToken);
        await receiver.MessagesDeliveredAsync([first[1]], CancellationToken.None);
        var again = await ReadAsync(receiver, 1);

        Assert.Equal([100], again.Select(Price));
        Assert.Equal(1, _statistics.DeliveryFailures);
        await receiver.MessagesDeliveredAsync(again, CancellationToken.None);
        Assert.Equal(0, (await Db.StreamPendingAsync(Queue0, TickerKeys.ConsumerGroup)).PendingMessageCount);
    }

    [Fact]
    public async Task A_deleted_stream_is_created_again_and_reading_goes_on()
    {
        var adapter = Adapter(new RedisTickStreamOptions { QueueCount = Queues });
        var receiver = adapter.CreateReceiver(QueueOf(adapter, 0));
        await receiver.Initialize(TimeSpan.FromSeconds(5), CancellationToken.None);
        await Publish(adapter, 0, 100);
        await receiver.MessagesDeliveredAsync(await ReadAsync(receiver, 1), CancellationToken.None);

        await Db.KeyDeleteAsync(Queue0);
        Assert.Empty(await receiver.GetQueueMessagesAsync(10, CancellationToken.None));
        await Publish(adapter, 0, 101);
        var after = await ReadAsync(receiver, 1);

        Assert.Equal([101], after.Select(Price));
        Assert.True(_statistics.Recreated >= 1);
        await receiver.MessagesDeliveredAsync(after, CancellationToken.None);
        Assert.Equal(0, (await Db.StreamPendingAsync(Queue0, TickerKeys.ConsumerGroup)).PendingMessageCount);
    }

    [Fact]
    public async Task Garbage_entries_go_to_the_dead_letter_stream_with_their_reason_and_are_acknowledged()
    {
        var adapter = Adapter(new RedisTickStreamOptions { QueueCount = Queues });
        var receiver = adapter.CreateReceiver(QueueOf(adapter, 0));
        await Db.StreamAddAsync(Queue0, [new("n", "ticks"), new("s", "0"), new("z", 8), new("k", new byte[8])], messageId: "0-1");
        await receiver.Initialize(TimeSpan.FromSeconds(5), CancellationToken.None);
        await Db.StreamAddAsync(Queue0, [new("t", 1)]);
        await Db.StreamAddAsync(Queue0, [new("n", "ticks"), new("s", "0"), new("z", Unsafe.SizeOf<Tick>()), new("k", new byte[10])]);
        await Db.StreamAddAsync(Queue0, [new("n", "ticks"), new("s", "0"), new("z", 8), new("k", new byte[16])]);
        await Publish(adapter, 0, 100);

        var delivered = await ReadAsync(receiver, 1);

        Assert.Equal([100], delivered.Select(Price));
        Assert.Equal(1, _statistics.DeadLettered(DeadLetterReason.ImpossibleId));
        Assert.Equal(1, _statistics.DeadLettered(DeadLetterReason.MissingField));
        Assert.Equal(1, _statistics.DeadLettered(DeadLetterReason.BadPayloadSize));
        Assert.Equal(1, _statistics.DeadLettered(DeadLetterReason.TickSizeMismatch));
        var dead = await Db.StreamRangeAsync(TickerKeys.DeadLetter);
        Assert.Equal(
            ["ImpossibleId", "MissingField", "BadPayloadSize", "TickSizeMismatch"],
            dead.Select(e => e["reason"].ToString()));
        Assert.All(dead, e => Assert.Equal(Queue0.ToString(), e["stream"].ToString()));
        Assert.Equal("0-1", dead[0]["id"].ToString());
        Assert.Equal(1, (await Db.StreamPendingAsync(Queue0, TickerKeys.ConsumerGroup)).PendingMessageCount);
    }

    [Fact]
    public async Task The_producer_waits_while_the_backlog_is_at_the_bound_and_goes_on_when_it_is_acknowledged()
    {
        var adapter = Adapter(new RedisTickStreamOptions { QueueCount = Queues, MaxBacklog = 3, MaxStreamLength = 6 });
        for (var i = 0; i < 3; i++)
        {
            await Publish(adapter, 0, 100 + i);
        }

        var blocked = Publish(adapter, 0, 103);
        await WaitUntilAsync(() => _statistics.ThrottleWaits > 0, "the fourth write should wait for the backlog");
        Assert.False(blocked.IsCompleted);
        Assert.Equal(3, await Db.StreamLengthAsync(Queue0));

        var receiver = adapter.CreateReceiver(QueueOf(adapter, 0));
        await receiver.Initialize(TimeSpan.FromSeconds(5), CancellationToken.None);
        await receiver.MessagesDeliveredAsync(await ReadAsync(receiver, 3), CancellationToken.None);
        await blocked.WaitAsync(Patience);

        Assert.Equal(4, await Db.StreamLengthAsync(Queue0));
        Assert.Equal(4, _statistics.EntriesWritten);
    }

    [Fact]
    public async Task Entries_trimmed_before_the_group_read_them_are_counted()
    {
        var options = new RedisTickStreamOptions { QueueCount = Queues };
        var first = Adapter(options);
        for (var i = 0; i < 3; i++)
        {
            await Publish(first, 0, 100 + i);
        }

        // Someone trims the stream behind the group's back: two unread entries are gone.
        await Db.StreamTrimAsync(Queue0, 1);

        // A producer measures the backlog before its first write.
        await Publish(Adapter(options), 0, 103);

        Assert.Equal(2, _statistics.TrimmedUnread);
    }

    private static double Price(IBatchContainer container) => ((RedisTickBatchContainer)container).Batch.ToArray()[0].LastPrice;

    private static QueueId QueueOf(RedisTickQueueAdapter adapter, int partition) =>
        new RedisTickQueueMapper(adapter.Name, Queues).GetQueueForStream(StreamId.Create(ITickPartitionGrain.StreamNamespace, partition));

    private static TickBatch Batch(double price) => new([TestMarket.Tick(TestMarket.Nifty.InstrumentToken, price, TestMarket.Us(4, 0))]);

    private static Task Publish(RedisTickQueueAdapter adapter, int partition, double price) => Publish(adapter, partition, Batch(price));

    private static Task Publish(RedisTickQueueAdapter adapter, int partition, TickBatch batch) =>
        adapter.QueueMessageBatchAsync(StreamId.Create(ITickPartitionGrain.StreamNamespace, partition), [batch], null, null);

    private static async Task<List<IBatchContainer>> ReadAsync(IQueueAdapterReceiver receiver, int count)
    {
        var read = new List<IBatchContainer>();
        var deadline = DateTime.UtcNow + Patience;
        while (read.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"read {read.Count} of {count} entries within {Patience.TotalSeconds} s");
            var batch = await receiver.GetQueueMessagesAsync(100, CancellationToken.None);
            read.AddRange(batch);
            if (batch.Count == 0)
            {
                await Task.Delay(10);
            }
        }

        return read;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(10);
        }
    }

    private RedisTickQueueAdapter Adapter(RedisTickStreamOptions options)
    {
        _failures = [.. Enumerable.Range(0, options.QueueCount).Select(_ => new RedisTickDeliveryFailureHandler(_statistics))];
        return new(
            "ticks",
            new RedisTickQueueMapper("ticks", options.QueueCount),
            () => Task.FromResult<IConnectionMultiplexer>(_redis),
            options,
            _statistics,
            TimeProvider.System,
            NullLoggerFactory.Instance,
            "test-silo",
            _failures);
    }
}
