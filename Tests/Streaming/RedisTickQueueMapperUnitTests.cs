using Orleans.Runtime;
using Orleans.Streams;
using Ticker.Grains.Interfaces.Market;
using Ticker.Streaming.Adapters;

namespace Ticker.Tests.Streaming;

public sealed class RedisTickQueueMapperUnitTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    [InlineData(13)]
    public void Partitions_0_to_N_minus_1_land_on_N_distinct_queues_and_p_on_queue_p_mod_N(int queues)
    {
        var mapper = new RedisTickQueueMapper("ticks", queues);

        var first = Enumerable.Range(0, queues).Select(p => mapper.GetQueueForStream(Stream(p))).ToList();

        Assert.Equal(queues, first.Distinct().Count());
        Assert.Equal(mapper.GetAllQueues().OrderBy(q => q.GetNumericId()), first);
        for (var p = 0; p < 3 * queues; p++)
        {
            Assert.Equal((uint)(p % queues), mapper.GetQueueForStream(Stream(p)).GetNumericId());
        }
    }

    [Fact]
    public void A_key_that_is_not_a_partition_still_maps_to_one_queue()
    {
        var mapper = new RedisTickQueueMapper("ticks", 4);
        var stream = StreamId.Create(ITickPartitionGrain.StreamNamespace, "not-a-number");

        Assert.Equal(mapper.GetQueueForStream(stream), mapper.GetQueueForStream(stream));
        Assert.Contains(mapper.GetQueueForStream(stream), mapper.GetAllQueues());
    }

    [Fact]
    public void The_ring_ranges_of_the_balancer_cover_every_queue_once()
    {
        var mapper = new RedisTickQueueMapper("ticks", 8);
        var halves = new[] { RangeFactory.CreateRange(0, uint.MaxValue / 2), RangeFactory.CreateRange(uint.MaxValue / 2, 0) };

        var covered = halves.SelectMany(mapper.GetQueuesForRange).ToList();

        Assert.Equal(8, covered.Count);
        Assert.Equal(8, covered.Distinct().Count());
    }

    private static StreamId Stream(int partition) => StreamId.Create(ITickPartitionGrain.StreamNamespace, partition);
}
