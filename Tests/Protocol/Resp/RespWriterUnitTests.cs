using System.Buffers;
using System.Globalization;
using System.Text;
using Ticker.Protocol.Resp;

namespace Ticker.Tests.Protocol.Resp;

public sealed class RespWriterUnitTests
{
    [Fact]
    public void Command_is_an_array_of_bulk_strings()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new RespWriter(output);

        writer.BeginCommand(3);
        writer.Arg(RespLiterals.SET);
        writer.Arg("key");
        writer.Arg("value"u8);

        Assert.Equal("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n", Text(output.WrittenSpan));
        Assert.Equal(1, writer.CommandCount);
        Assert.True(writer.IsCommandComplete);
    }

    [Theory]
    [InlineData(0L, "0")]
    [InlineData(-42L, "-42")]
    [InlineData(1234567890123L, "1234567890123")]
    [InlineData(long.MaxValue, "9223372036854775807")]
    [InlineData(long.MinValue, "-9223372036854775808")]
    public void Integers_are_decimal_bulk_strings(long value, string expected)
    {
        using var batch = new RedisBatch();

        batch.BeginCommand(1);
        batch.Arg(value);

        Assert.Equal($"*1\r\n${expected.Length}\r\n{expected}\r\n", Text(batch.WrittenSpan));
    }

    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(24150.05, "24150.05")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(1e21, "1E+21")]
    [InlineData(5e-324, "5E-324")]
    [InlineData(double.MaxValue, "1.7976931348623157E+308")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    [InlineData(double.NaN, "nan")]
    public void Doubles_are_shortest_round_trip_text_with_explicit_non_finite_spellings(double value, string expected)
    {
        using var batch = new RedisBatch();

        batch.BeginCommand(1);
        batch.Arg(value);

        Assert.Equal($"*1\r\n${expected.Length}\r\n{expected}\r\n", Text(batch.WrittenSpan));
    }

    [Fact]
    public void Doubles_round_trip_exactly()
    {
        var random = new Random(42);
        for (var i = 0; i < 10_000; i++)
        {
            var value = BitConverter.Int64BitsToDouble(random.NextInt64());
            if (!double.IsFinite(value))
            {
                continue;
            }

            using var batch = new RedisBatch();
            batch.BeginCommand(1);
            batch.Arg(value);
            var reader = new RespReader(batch.WrittenSpan);
            reader.ReadArrayLength();
            reader.ReadBulkString();

            Assert.True(reader.TryGetDouble(out var parsed));
            Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(parsed));
        }
    }

    [Fact]
    public void Text_is_utf8_and_the_length_counts_bytes()
    {
        using var batch = new RedisBatch();

        batch.BeginCommand(1);
        batch.Arg("₹");

        Assert.Equal("*1\r\n$3\r\n"u8.ToArray().Concat("₹"u8.ToArray()).Concat("\r\n"u8.ToArray()), batch.WrittenSpan.ToArray());
    }

    [Fact]
    public void Empty_and_binary_arguments_are_exact()
    {
        using var batch = new RedisBatch();

        batch.BeginCommand(2);
        batch.Arg(ReadOnlySpan<byte>.Empty);
        batch.Arg(new byte[] { 13, 10, 0, 255 });

        Assert.Equal(RespTestData.Bytes("*2\r\n$0\r\n\r\n$4\r\n\r\n\x00\xff\r\n"), batch.WrittenSpan.ToArray());
    }

    [Fact]
    public void Batch_and_writer_produce_the_same_bytes_across_buffer_growth()
    {
        var output = new ArrayBufferWriter<byte>(16);
        var writer = new RespWriter(output);
        using var batch = new RedisBatch(64);
        var big = new byte[10_000];
        new Random(7).NextBytes(big);

        for (var i = 0; i < 200; i++)
        {
            writer.BeginCommand(5);
            batch.BeginCommand(5);
            writer.Arg(RespLiterals.HSET);
            batch.Arg(RespLiterals.HSET);
            writer.Arg($"snap:{i}");
            batch.Arg($"snap:{i}");
            writer.Arg(i * 1000L);
            batch.Arg(i * 1000L);
            writer.Arg(i / 7.0);
            batch.Arg(i / 7.0);
            writer.Arg(big.AsSpan(0, i * 50));
            batch.Arg(big.AsSpan(0, i * 50));
        }

        Assert.Equal(output.WrittenSpan.ToArray(), batch.WrittenSpan.ToArray());
        Assert.Equal(200, batch.CommandCount);
        Assert.Equal(batch.WrittenSpan.Length, batch.Length);
    }

    [Fact]
    public void Batch_output_is_a_sequence_of_frames_the_scanner_accepts()
    {
        using var batch = new RedisBatch();
        for (var i = 0; i < 50; i++)
        {
            batch.BeginCommand(3);
            batch.Arg(RespLiterals.PUBLISH);
            batch.Arg("ch");
            batch.Arg(i);
        }

        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(batch.WrittenSpan.ToArray()));
        var scanner = default(RespFrameScanner);
        var frames = 0;
        while (scanner.TryScan(ref reader, out _))
        {
            frames++;
        }

        Assert.Equal(50, frames);
        Assert.True(reader.End);
    }

    [Fact]
    public void Too_few_arguments_is_refused_before_the_next_command()
    {
        using var batch = new RedisBatch();
        batch.BeginCommand(3);
        batch.Arg(RespLiterals.SET);

        Assert.Throws<InvalidOperationException>(() => batch.BeginCommand(1));
        Assert.False(batch.IsCommandComplete);
    }

    [Fact]
    public void Too_many_arguments_is_refused()
    {
        using var batch = new RedisBatch();
        batch.BeginCommand(1);
        batch.Arg(RespLiterals.PING);

        Assert.Throws<InvalidOperationException>(() => batch.Arg("extra"));
        var output = new ArrayBufferWriter<byte>();
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new RespWriter(output);
            writer.BeginCommand(1);
            writer.Arg(RespLiterals.PING);
            writer.Arg(1L);
        });
    }

    [Fact]
    public void Command_without_arguments_is_refused()
    {
        using var batch = new RedisBatch();

        Assert.Throws<ArgumentOutOfRangeException>(() => batch.BeginCommand(0));
    }

    [Fact]
    public void Clear_empties_the_batch_for_reuse()
    {
        using var batch = new RedisBatch();
        batch.BeginCommand(1);
        batch.Arg(RespLiterals.PING);

        batch.Clear();
        batch.BeginCommand(2);
        batch.Arg(RespLiterals.GET);
        batch.Arg("k");

        Assert.Equal(1, batch.CommandCount);
        Assert.Equal("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", Text(batch.WrittenSpan));
    }

    private static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
