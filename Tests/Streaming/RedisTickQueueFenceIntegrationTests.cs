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

/// <summary>
/// The queue's owner fence (<c>tick:in:{queue}:owner</c>) with two silos' receivers of one queue against a real
/// redis-server: the silo that takes the queue over shuts the old owner out and delivers its entries first, in order.
/// </summary>
[Collection(RedisServerCollection.Name)]
public sealed class RedisTickQueueFenceIntegrationTests(RedisServerFixture server) : IAsyncLifetime
{
    private const int Queues = 2;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly RedisKey Queue0 = TickerKeys.InputStream(0);
    private static readonly RedisKey Owner0 = TickerKeys.InputOwner(0);

    // The default ClaimMinIdle (5 s) stays: a takeover must not wait for the old owner's entries to idle.
    private static readonly RedisTickStreamOptions Options = new() { QueueCount = Queues };

    private readonly Silo _a = new("silo-a");
    private readonly Silo _b = new("silo-b");
    private ConnectionMultiplexer _redis = null!;
    private RedisTickQueueAdapter? _producer;

    private IDatabase Db => _redis.GetDatabase();

    public async Task InitializeAsync()
    {
        await server.FlushAllAsync();
        _redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task The_old_owner_cannot_acknowledge_after_a_takeover_and_the_new_owner_delivers_its_entries_first_in_id_order()
    {
        var a = await StartAsync(_a);
        await PublishAsync(100, 101, 102);
        var readByA = await ReadAsync(a, 3);

        var b = await StartAsync(_b);
        await PublishAsync(200, 201);

        // A's consumers finished the entries, but A no longer owns the queue: its XACK is refused.
        await a.MessagesDeliveredAsync(readByA, CancellationToken.None);

        var pending = await Db.StreamPendingAsync(Queue0, TickerKeys.ConsumerGroup);
        Assert.Equal(3, pending.PendingMessageCount);
        Assert.Equal(["silo-b"], pending.Consumers.Select(c => c.Name.ToString()));
        Assert.True(((RedisTickQueueReceiver)a).IsFenced);
        Assert.Equal(1, _a.Statistics.FencedReceivers);
        Assert.Equal(0, _a.Statistics.EntriesAcked);
        Assert.Empty(await a.GetQueueMessagesAsync(10, CancellationToken.None));

        // B's very first read starts with A's entries (taken over at once, not after ClaimMinIdle), then the new ones.
        var readByB = await b.GetQueueMessagesAsync(10, CancellationToken.None);
        readByB = [.. readByB, .. await ReadAsync(b, 5 - readByB.Count)];

        Assert.Equal([100, 101, 102, 200, 201], readByB.Select(Price));
        Assert.Equal(readByA.Select(Id), readByB.Take(3).Select(Id));
        Assert.Equal(readByB.Select(Id).Order(), readByB.Select(Id));
        Assert.Equal(3, _b.Statistics.EntriesClaimed);
        Assert.Equal(1, _b.Statistics.Takeovers);
        Assert.Equal(0, _a.Statistics.QueuesOwned);
        Assert.Equal(1, _b.Statistics.QueuesOwned);
        Assert.Equal("silo-b", (await Db.HashGetAsync(Owner0, "consumer")).ToString());

        await b.MessagesDeliveredAsync(readByB, CancellationToken.None);

        Assert.Equal(0, (await Db.StreamPendingAsync(Queue0, TickerKeys.ConsumerGroup)).PendingMessageCount);
        Assert.Equal(5, _b.Statistics.EntriesAcked);
        Assert.Equal(0, _b.Statistics.FencedReceivers);
    }

    [Fact]
    public async Task The_old_owner_reads_nothing_after_a_takeover_and_stays_stopped()
    {
        var a = await StartAsync(_a);
        Assert.Empty(await a.GetQueueMessagesAsync(10, CancellationToken.None));
        var b = await StartAsync(_b);
        await PublishAsync(100);

        // A paused silo resumes and polls its old queue: the read is refused before XREADGROUP runs.
        Assert.Empty(await a.GetQueueMessagesAsync(10, CancellationToken.None));
        Assert.True(((RedisTickQueueReceiver)a).IsFenced);
        Assert.Equal(1, _a.Statistics.FencedReceivers);
        Assert.Equal(0, _a.Statistics.QueuesOwned);
        var group = (await Db.StreamGroupInfoAsync(Queue0)).Single();
        Assert.Equal(0, group.PendingMessageCount);
        Assert.Equal(1, group.Lag);

        var readByB = await ReadAsync(b, 1);
        Assert.Equal([100], readByB.Select(Price));
        await b.MessagesDeliveredAsync(readByB, CancellationToken.None);

        // Fenced for good: later polls neither read nor count again.
        await PublishAsync(101);
        Assert.Empty(await a.GetQueueMessagesAsync(10, CancellationToken.None));
        Assert.Equal(1, _a.Statistics.FencedReceivers);
        Assert.Equal(0, _b.Statistics.Takeovers);
        Assert.Equal([101], (await ReadAsync(b, 1)).Select(Price));
    }

    [Fact]
    public async Task An_owner_initialising_again_is_not_fenced_and_a_stopped_receiver_starts_again()
    {
        var a = await StartAsync(_a);
        await PublishAsync(100);
        await a.MessagesDeliveredAsync(await ReadAsync(a, 1), CancellationToken.None);

        // The same silo starts the queue again, on the same receiver and on a new one: it stays the owner.
        await a.Initialize(Timeout, CancellationToken.None);
        var again = await StartAsync(_a);
        await PublishAsync(101);
        var read = await ReadAsync(a, 1);

        Assert.Equal([101], read.Select(Price));
        Assert.False(((RedisTickQueueReceiver)a).IsFenced);
        Assert.False(((RedisTickQueueReceiver)again).IsFenced);
        Assert.Equal(0, _a.Statistics.FencedReceivers);
        Assert.Equal(0, _a.Statistics.Takeovers);
        Assert.Equal(2, _a.Statistics.QueuesOwned); // two live receivers of the queue in this silo: each counts once
        await a.MessagesDeliveredAsync(read, CancellationToken.None);
        await again.Shutdown(Timeout, CancellationToken.None);

        // Stopped, then started again: it reads on.
        await a.Shutdown(Timeout, CancellationToken.None);
        Assert.Equal(0, _a.Statistics.QueuesOwned);
        await PublishAsync(102);
        Assert.Empty(await a.GetQueueMessagesAsync(10, CancellationToken.None));
        await a.Initialize(Timeout, CancellationToken.None);

        Assert.Equal(1, _a.Statistics.QueuesOwned);
        read = await ReadAsync(a, 1);
        Assert.Equal([102], read.Select(Price));
        await a.MessagesDeliveredAsync(read, CancellationToken.None);
        Assert.Equal(0, (await Db.StreamPendingAsync(Queue0, TickerKeys.ConsumerGroup)).PendingMessageCount);
        Assert.Equal(3, _a.Statistics.EntriesAcked);
    }

    [Fact]
    public async Task The_owner_recreates_a_stream_deleted_mid_run_and_reads_on()
    {
        var a = await StartAsync(_a);
        var b = await StartAsync(_b);
        await PublishAsync(100);
        await b.MessagesDeliveredAsync(await ReadAsync(b, 1), CancellationToken.None);

        await Db.KeyDeleteAsync(Queue0);
        Assert.Empty(await b.GetQueueMessagesAsync(10, CancellationToken.None));
        await PublishAsync(101);
        var after = await ReadAsync(b, 1);

        Assert.Equal([101], after.Select(Price));
        Assert.True(_b.Statistics.Recreated >= 1);
        Assert.Equal("silo-b", (await Db.HashGetAsync(Owner0, "consumer")).ToString());
        Assert.Empty(await a.GetQueueMessagesAsync(10, CancellationToken.None));
        Assert.True(((RedisTickQueueReceiver)a).IsFenced);
        await b.MessagesDeliveredAsync(after, CancellationToken.None);
        Assert.Equal(0, (await Db.StreamPendingAsync(Queue0, TickerKeys.ConsumerGroup)).PendingMessageCount);
    }

    [Fact]
    public async Task A_queue_whose_owner_key_was_lost_with_its_stream_is_adopted_by_the_receiver_reading_it()
    {
        var a = await StartAsync(_a);
        await PublishAsync(100);
        await a.MessagesDeliveredAsync(await ReadAsync(a, 1), CancellationToken.None);

        // Redis lost its data (a restart without persistence): stream, group and owner are gone.
        await Db.KeyDeleteAsync([Queue0, Owner0]);
        Assert.Empty(await a.GetQueueMessagesAsync(10, CancellationToken.None));
        await PublishAsync(101);
        var after = await ReadAsync(a, 1);

        Assert.Equal([101], after.Select(Price));
        Assert.False(((RedisTickQueueReceiver)a).IsFenced);
        Assert.Equal("silo-a", (await Db.HashGetAsync(Owner0, "consumer")).ToString());
        await a.MessagesDeliveredAsync(after, CancellationToken.None);
        Assert.Equal(0, (await Db.StreamPendingAsync(Queue0, TickerKeys.ConsumerGroup)).PendingMessageCount);
    }

    [Fact]
    public async Task The_old_owners_sweep_claims_nothing_after_a_takeover_and_the_new_owners_sweep_takes_the_entry()
    {
        // Sweeps at every read, of entries however briefly idle.
        var sweeping = new RedisTickStreamOptions { QueueCount = Queues, ClaimMinIdle = TimeSpan.Zero, PendingSweepPeriod = TimeSpan.Zero };
        var a = await StartAsync(_a, sweeping);
        var b = await StartAsync(_b, sweeping);
        await PublishAsync(100);

        // Someone reads the group outside the fence (by hand): the entry is stranded in a third consumer's list.
        var stranded = await Db.StreamReadGroupAsync(Queue0, TickerKeys.ConsumerGroup, "outsider", StackExchange.Redis.StreamPosition.NewMessages, 10);
        Assert.Single(stranded);

        Assert.Empty(await a.GetQueueMessagesAsync(10, CancellationToken.None));
        Assert.True(((RedisTickQueueReceiver)a).IsFenced);
        Assert.Equal(0, _a.Statistics.EntriesClaimed);
        Assert.Equal(["outsider"], (await Db.StreamPendingAsync(Queue0, TickerKeys.ConsumerGroup)).Consumers.Select(c => c.Name.ToString()));

        var readByB = await ReadAsync(b, 1);
        Assert.Equal([100], readByB.Select(Price));
        Assert.Equal(1, _b.Statistics.EntriesClaimed);
        await b.MessagesDeliveredAsync(readByB, CancellationToken.None);
        Assert.Equal(0, (await Db.StreamPendingAsync(Queue0, TickerKeys.ConsumerGroup)).PendingMessageCount);
    }

    [Fact]
    public async Task Reads_and_acknowledgements_go_on_after_the_server_forgot_its_scripts()
    {
        var a = await StartAsync(_a);
        await PublishAsync(100);
        await a.MessagesDeliveredAsync(await ReadAsync(a, 1), CancellationToken.None);

        // As after a Redis restart: EVALSHA meets NOSCRIPT, and StackExchange.Redis sends the script again.
        await server.CliAsync("SCRIPT", "FLUSH");
        await PublishAsync(101);
        var after = await ReadAsync(a, 1);
        await server.CliAsync("SCRIPT", "FLUSH");
        await a.MessagesDeliveredAsync(after, CancellationToken.None);

        Assert.Equal([101], after.Select(Price));
        Assert.Equal(0, _a.Statistics.ReadFailures);
        Assert.Equal(2, _a.Statistics.EntriesAcked);
        Assert.Equal(0, (await Db.StreamPendingAsync(Queue0, TickerKeys.ConsumerGroup)).PendingMessageCount);
    }

    private static double Price(IBatchContainer container) => ((RedisTickBatchContainer)container).Batch.ToArray()[0].LastPrice;

    private static string Id(IBatchContainer container) => ((RedisTickBatchContainer)container).EntryId.ToString();

    private static QueueId QueueOf(int partition) =>
        new RedisTickQueueMapper("ticks", Queues).GetQueueForStream(StreamId.Create(ITickPartitionGrain.StreamNamespace, partition));

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

    private async Task<IQueueAdapterReceiver> StartAsync(Silo silo, RedisTickStreamOptions? options = null)
    {
        var receiver = Adapter(silo, options).CreateReceiver(QueueOf(0));
        await receiver.Initialize(Timeout, CancellationToken.None);
        return receiver;
    }

    private async Task PublishAsync(params double[] prices)
    {
        var adapter = _producer ??= Adapter(new Silo("producer"));
        foreach (var price in prices)
        {
            var batch = new TickBatch([TestMarket.Tick(TestMarket.Nifty.InstrumentToken, price, TestMarket.Us(4, 0))]);
            await adapter.QueueMessageBatchAsync(StreamId.Create(ITickPartitionGrain.StreamNamespace, 0), [batch], null, null);
        }
    }

    private RedisTickQueueAdapter Adapter(Silo silo, RedisTickStreamOptions? options = null) => new(
        "ticks",
        new RedisTickQueueMapper("ticks", Queues),
        () => Task.FromResult<IConnectionMultiplexer>(_redis),
        options ?? Options,
        silo.Statistics,
        TimeProvider.System,
        NullLoggerFactory.Instance,
        silo.Name,
        silo.Failures);

    /// <summary>One silo's view: its consumer name and its own counters.</summary>
    private sealed class Silo
    {
        public Silo(string name)
        {
            Name = name;
            Failures = [.. Enumerable.Range(0, Queues).Select(_ => new RedisTickDeliveryFailureHandler(Statistics))];
        }

        public string Name { get; }

        public RedisTickStreamStatistics Statistics { get; } = new();

        public RedisTickDeliveryFailureHandler[] Failures { get; }
    }
}
