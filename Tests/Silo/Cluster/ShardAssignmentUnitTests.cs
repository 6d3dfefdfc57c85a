using Ticker.Silo.Cluster;

namespace Ticker.Tests.Silo.Cluster;

public sealed class ShardAssignmentUnitTests
{
    [Theory]
    [InlineData(4, 2)]
    [InlineData(6, 3)]
    [InlineData(7, 3)]
    [InlineData(16, 5)]
    [InlineData(2, 3)]
    public void Shards_are_spread_evenly_and_every_shard_has_one_owner(int shards, int silos)
    {
        var ids = Enumerable.Range(0, silos).Select(i => $"silo-{i}").ToList();

        var owners = ShardAssignment.Assign(shards, ids);

        Assert.All(owners, o => Assert.Contains(o, ids));
        var counts = ids.Select(id => owners.Count(o => o == id)).ToList();
        Assert.True(counts.Max() - counts.Min() <= 1, $"uneven: {string.Join(",", counts)}");
    }

    [Fact]
    public void Every_silo_computes_the_same_answer_whatever_order_it_lists_the_members_in()
    {
        Assert.Equal(
            ShardAssignment.Assign(12, ["c", "a", "b"]),
            ShardAssignment.Assign(12, ["b", "c", "a"]));
    }

    [Fact]
    public void A_silo_joining_takes_only_its_share_and_the_others_keep_most_of_theirs()
    {
        var before = ShardAssignment.Assign(24, ["a", "b", "c"]);
        var after = ShardAssignment.Assign(24, ["a", "b", "c", "d"]);

        Assert.Equal(6, after.Count(o => o == "d"));
        var moved = Enumerable.Range(0, 24).Count(s => before[s] != after[s]);
        Assert.InRange(moved, 6, 12);
    }

    [Fact]
    public void No_silos_means_no_owners()
    {
        Assert.All(ShardAssignment.Assign(3, []), Assert.Null);
    }
}
