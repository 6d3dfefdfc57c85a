using System.Text;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Protocol.Redis;

namespace Ticker.Tests.Protocol.Redis;

/// <summary>Script arguments packed as one MessagePack array of strings (what <c>cmsgpack.unpack</c> reads).</summary>
public sealed class PackedArgumentsUnitTests
{
    [Fact]
    public void Values_of_every_string_size_round_trip_and_the_header_counts_them()
    {
        var args = new PackedArguments(capacity: 32);
        byte[][] texts = [[], "ab"u8.ToArray(), new byte[31], new byte[32], new byte[255], new byte[256], new byte[70_000]];
        foreach (var text in texts)
        {
            args.AddCopy(text);
        }

        args.Add(-1_234_567_890_123);
        args.AddDouble(0.1);
        args.AddDouble(1e21);
        args.AddDouble(double.NaN);
        args.AddDouble(double.NegativeInfinity);

        var packed = ((ReadOnlyMemory<byte>)args.Packed).ToArray();
        Assert.Equal(0xdd, packed[0]);
        Assert.Equal(texts.Length + 5, (packed[1] << 24) | (packed[2] << 16) | (packed[3] << 8) | packed[4]);
        var values = args.ToValues();
        Assert.Equal(texts, values[..texts.Length]);
        Assert.Equal(["-1234567890123", "0.1", "1E+21", "nan", "-inf"], values[texts.Length..].Select(v => Encoding.UTF8.GetString(v)));
    }

    [Fact]
    public void A_count_placeholder_is_filled_in_later_as_ten_digits()
    {
        var args = new PackedArguments();
        args.AddCopy("before"u8);
        var count = args.AddCountPlaceholder();
        args.AddCopy("after"u8);

        args.SetCount(count, 42);

        Assert.Equal(["before", "0000000042", "after"], args.ToValues().Select(v => Encoding.UTF8.GetString(v)));
        Assert.Throws<ArgumentOutOfRangeException>(() => args.SetCount(count, -1));
    }

    [Fact]
    public void Clear_forgets_the_values_and_keeps_the_buffer_for_the_next_command()
    {
        var args = new PackedArguments();
        args.AddCopy("first"u8);
        args.Clear();
        args.AddCopy("again"u8);

        Assert.Equal(1, args.Count);
        Assert.Equal("again", Encoding.UTF8.GetString(Assert.Single(args.ToValues())));
    }

    [Fact]
    public void Positions_are_encoded_as_fixed_width_digits()
    {
        var args = new PackedArguments();
        SnapshotWriteScript.AddPosition(args, new StreamPosition(new StreamEntryId(1_700_000_000_123, 7), 42));
        SnapshotWriteScript.AddPosition(args, default);

        var values = args.ToValues().Select(v => Encoding.UTF8.GetString(v)).ToArray();
        Assert.Equal("00000001700000000123" + "00000000000000000007" + "0000000042", values[0]);
        Assert.Equal(new string('0', SnapshotWriteScript.PositionLength), values[1]);
    }
}
