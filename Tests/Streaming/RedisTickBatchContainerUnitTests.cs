using Orleans.Runtime;
using Ticker.Grains.Interfaces.Market;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Streaming.Adapters;
using Ticker.Tests.Infrastructure;

namespace Ticker.Tests.Streaming;

public sealed class RedisTickBatchContainerUnitTests
{
    [Fact]
    public void Tokens_order_as_Redis_ids_and_give_the_entry_id_back()
    {
        StreamEntryId[] ids = [new(5, 0), new(5, 1), new(5, 2), new(6, 0), new(1_700_000_000_000, 7)];

        var tokens = ids.Select(id => Container(id).SequenceToken).ToArray();

        for (var i = 1; i < tokens.Length; i++)
        {
            Assert.True(tokens[i].CompareTo(tokens[i - 1]) > 0, $"{ids[i]} should come after {ids[i - 1]}");
        }

        Assert.All(ids, id => Assert.Equal(id, new StreamEntryId(Container(id).SequenceToken.SequenceNumber, Container(id).SequenceToken.EventIndex)));
        Assert.Equal(ids, ids.Select(id => Container(id).EntryId));
    }

    [Fact]
    public void The_batch_is_the_one_event_of_the_container()
    {
        var container = Container(new StreamEntryId(9, 3));

        var events = container.GetEvents<TickBatch>().ToList();

        Assert.Same(container.Batch, Assert.Single(events).Item1);
        Assert.Same(container.SequenceToken, events[0].Item2);
        Assert.Empty(container.GetEvents<string>());
        Assert.False(container.ImportRequestContext());
    }

    private static RedisTickBatchContainer Container(StreamEntryId id) => new(
        StreamId.Create(ITickPartitionGrain.StreamNamespace, 1),
        new TickBatch([TestMarket.Tick(TestMarket.Nifty.InstrumentToken, 100, TestMarket.Us(4, 0))]),
        id);
}
