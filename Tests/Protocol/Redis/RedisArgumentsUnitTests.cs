using System.Text;
using StackExchange.Redis;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Protocol.Redis;
using StreamPosition = Ticker.Grains.Interfaces.Streams.StreamPosition;

namespace Ticker.Tests.Protocol.Redis;

public sealed class RedisArgumentsUnitTests
{
    [Theory]
    [InlineData(0, 16)]
    [InlineData(16, 16)]
    [InlineData(17, 18)]
    [InlineData(1000, 1024)]
    [InlineData(1025, 1152)]
    [InlineData(58_001, 61_440)]
    public void Arrays_are_padded_to_at_most_an_eighth_more_than_needed(int count, int length)
    {
        Assert.Equal(length, RedisArguments.SizeClass(count));
        Assert.True(length - count <= Math.Max(16, count / 8));
    }

    [Fact]
    public void Values_keep_their_text_across_chunks_and_the_tail_is_padding()
    {
        var args = new RedisArguments(chunkSize: 64);
        var expected = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            args.AddCopy(Encoding.UTF8.GetBytes($"value-{i}"));
            args.AddDouble(i + 0.1);
            args.Add(i);
            expected.AddRange([$"value-{i}", (i + 0.1).ToString("R", System.Globalization.CultureInfo.InvariantCulture), i.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        args.AddCopy(new byte[200]);
        args.AddDouble(double.NaN);
        args.AddDouble(double.NegativeInfinity);

        var array = args.ToArray();
        Assert.Equal(RedisArguments.SizeClass(args.Count), array.Length);
        Assert.Equal(expected, array.Take(300).Select(v => (string?)v));
        Assert.Equal(200, ((byte[]?)array[300])!.Length);
        Assert.Equal("nan", (string?)array[301]);
        Assert.Equal("-inf", (string?)array[302]);
        Assert.All(array.Skip(args.Count), v => Assert.Equal(RedisValue.EmptyString, v));

        args.Clear();
        args.AddCopy("again"u8);
        Assert.Equal("again", (string?)args.ToArray()[0]);
    }

    [Fact]
    public void Positions_are_encoded_as_fixed_width_digits()
    {
        var args = new RedisArguments();
        SnapshotWriteScript.AddPosition(args, new StreamPosition(new StreamEntryId(1_700_000_000_123, 7), 42));
        SnapshotWriteScript.AddPosition(args, default);

        Assert.Equal("00000001700000000123" + "00000000000000000007" + "0000000042", (string?)args[0]);
        Assert.Equal(new string('0', SnapshotWriteScript.PositionLength), (string?)args[1]);
    }
}
