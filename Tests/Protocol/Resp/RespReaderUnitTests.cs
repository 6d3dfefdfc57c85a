using Ticker.Protocol.Resp;

namespace Ticker.Tests.Protocol.Resp;

public sealed class RespReaderUnitTests
{
    [Fact]
    public void Simple_string_exposes_its_text()
    {
        var reader = new RespReader(RespTestData.Bytes("+OK\r\n"));

        Assert.True(reader.Read());
        Assert.Equal(RespType.SimpleString, reader.Type);
        Assert.True(reader.ValueEquals("OK"u8));
        Assert.False(reader.IsNull);
        Assert.False(reader.Read());
        Assert.True(reader.End);
    }

    [Fact]
    public void Error_exposes_the_message_without_the_dash()
    {
        var reader = new RespReader(RespTestData.Bytes("-WRONGTYPE Operation against a key\r\n"));

        Assert.True(reader.Read());
        Assert.True(reader.IsError);
        Assert.Equal("WRONGTYPE Operation against a key", reader.GetString());
        var error = Assert.Throws<RedisServerException>(() =>
        {
            var again = new RespReader(RespTestData.Bytes("-WRONGTYPE Operation against a key\r\n"));
            again.Read();
            again.ThrowIfError();
        });
        Assert.Equal("WRONGTYPE", error.ErrorCode);
    }

    [Theory]
    [InlineData(":0\r\n", 0L)]
    [InlineData(":-123\r\n", -123L)]
    [InlineData(":9223372036854775807\r\n", long.MaxValue)]
    [InlineData(":-9223372036854775808\r\n", long.MinValue)]
    public void Integer_is_parsed(string frame, long expected)
    {
        var reader = new RespReader(RespTestData.Bytes(frame));

        Assert.Equal(expected, reader.ReadInteger());
        Assert.True(reader.TryGetInt64(out var again));
        Assert.Equal(expected, again);
    }

    [Fact]
    public void Bulk_string_is_binary_safe()
    {
        var reader = new RespReader(RespTestData.Bytes("$6\r\n\r\n\x00\xff\r\n\r\n"));

        var value = reader.ReadBulkString();

        Assert.Equal(new byte[] { 13, 10, 0, 255, 13, 10 }, value.ToArray());
        Assert.Equal(6, reader.Length);
        Assert.True(reader.End);
    }

    [Fact]
    public void Nil_bulk_string_and_nil_array_are_null()
    {
        var reader = new RespReader(RespTestData.Bytes("$-1\r\n*-1\r\n$0\r\n\r\n"));

        Assert.True(reader.ReadBulkString().IsEmpty);
        Assert.True(reader.IsNull);
        Assert.Equal(-1, reader.ReadArrayLength());
        Assert.True(reader.IsNull);
        Assert.True(reader.ReadBulkString().IsEmpty);
        Assert.False(reader.IsNull);
        Assert.Null(new RespReader(RespTestData.Bytes("$-1\r\n")).ReadString());
    }

    [Fact]
    public void Nested_arrays_are_read_depth_first()
    {
        var reader = new RespReader(RespTestData.Bytes("*3\r\n*2\r\n:1\r\n+a\r\n$1\r\nb\r\n*0\r\n"));

        Assert.Equal(3, reader.ReadArrayLength());
        Assert.Equal(2, reader.ReadArrayLength());
        Assert.Equal(1, reader.ReadInteger());
        Assert.Equal("a", reader.ReadString());
        Assert.Equal("b", reader.ReadString());
        Assert.Equal(0, reader.ReadArrayLength());
        Assert.False(reader.Read());
    }

    [Fact]
    public void SkipChildren_skips_a_whole_subtree()
    {
        var reader = new RespReader(RespTestData.Bytes("*2\r\n*3\r\n*2\r\n:1\r\n:2\r\n$-1\r\n*-1\r\n+after\r\n"));

        Assert.Equal(2, reader.ReadArrayLength());
        Assert.Equal(3, reader.ReadArrayLength());
        reader.SkipChildren();
        Assert.Equal("after", reader.ReadString());
        Assert.True(reader.End);
    }

    [Fact]
    public void Xreadgroup_reply_can_be_walked_without_strings()
    {
        var frame = RespTestData.Frames[^1];
        var reader = new RespReader(RespTestData.Bytes(frame));
        var payloads = new List<byte[]>();

        var streams = reader.ReadArrayLength();
        for (var s = 0; s < streams; s++)
        {
            Assert.Equal(2, reader.ReadArrayLength());
            Assert.True(reader.ReadBulkString().SequenceEqual("ticks:0"u8));
            var entries = reader.ReadArrayLength();
            for (var e = 0; e < entries; e++)
            {
                Assert.Equal(2, reader.ReadArrayLength());
                reader.ReadBulkString();
                var fields = reader.ReadArrayLength();
                for (var f = 0; f < fields; f += 2)
                {
                    Assert.True(reader.ReadBulkString().SequenceEqual("p"u8));
                    payloads.Add(reader.ReadBulkString().ToArray());
                }
            }
        }

        Assert.Equal([new byte[] { 0, 13, 10 }, new byte[] { 0xff, 0xfe }], payloads);
    }

    [Fact]
    public void Typed_reads_of_an_error_throw_the_server_error()
    {
        var error = Assert.Throws<RedisServerException>(() => new RespReader(RespTestData.Bytes("-ERR no such key\r\n")).ReadInteger());
        Assert.Equal("ERR no such key", error.Message);
    }

    [Fact]
    public void Typed_reads_of_the_wrong_type_are_protocol_errors()
    {
        Assert.Throws<RedisProtocolException>(() => new RespReader(RespTestData.Bytes("+OK\r\n")).ReadInteger());
        Assert.Throws<RedisProtocolException>(() => new RespReader(RespTestData.Bytes(":1\r\n")).ReadArrayLength());
        Assert.Throws<RedisProtocolException>(() => new RespReader(RespTestData.Bytes("*0\r\n")).ReadBulkString());
        Assert.Throws<RedisProtocolException>(() => new RespReader([]).ReadInteger());
    }

    [Fact]
    public void Truncated_frames_are_protocol_errors_not_out_of_range_reads()
    {
        Assert.Throws<RedisProtocolException>(() => new RespReader(RespTestData.Bytes("$5\r\nab")).Read());
        Assert.Throws<RedisProtocolException>(() => new RespReader(RespTestData.Bytes(":12")).Read());
        Assert.Throws<RedisProtocolException>(() => new RespReader(RespTestData.Bytes("+OK")).Read());
        Assert.Throws<RedisProtocolException>(() =>
        {
            var reader = new RespReader(RespTestData.Bytes("*2\r\n:1\r\n"));
            reader.Read();
            reader.SkipChildren();
        });
        Assert.Throws<RedisProtocolException>(() => new RespReader(RespTestData.Bytes("?\r\n")).Read());
    }

    [Theory]
    [InlineData("$4\r\n3.25\r\n", 3.25)]
    [InlineData("$3\r\ninf\r\n", double.PositiveInfinity)]
    [InlineData("$4\r\n-inf\r\n", double.NegativeInfinity)]
    [InlineData("$5\r\n1e+21\r\n", 1e21)]
    [InlineData(":7\r\n", 7.0)]
    public void Doubles_are_parsed_as_Redis_prints_them(string frame, double expected)
    {
        var reader = new RespReader(RespTestData.Bytes(frame));
        reader.Read();

        Assert.True(reader.TryGetDouble(out var value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void Non_numbers_are_not_parsed_as_numbers()
    {
        var reader = new RespReader(RespTestData.Bytes("$3\r\nabc\r\n"));
        reader.Read();

        Assert.False(reader.TryGetInt64(out _));
        Assert.False(reader.TryGetDouble(out _));
    }
}
