using System.Buffers;
using Ticker.Protocol.Resp;

namespace Ticker.Tests.Protocol.Resp;

public sealed class RespFrameScannerUnitTests
{
    public static TheoryData<string> ValidFrames() => RespTestData.ValidFrames();

    public static TheoryData<string, string> Garbage() => RespTestData.Garbage();

    [Theory]
    [MemberData(nameof(ValidFrames))]
    public void Complete_frame_is_found_with_its_exact_length(string frame)
    {
        var bytes = RespTestData.Bytes(frame);
        var scanner = default(RespFrameScanner);

        Assert.True(scanner.TryScan(new ReadOnlySequence<byte>(bytes), out var length));
        Assert.Equal(bytes.Length, length);
    }

    [Theory]
    [MemberData(nameof(ValidFrames))]
    public void Bytes_after_the_frame_are_not_part_of_it(string frame)
    {
        var bytes = RespTestData.Bytes(frame + "+NEXT\r\n:1");
        var scanner = default(RespFrameScanner);

        Assert.True(scanner.TryScan(new ReadOnlySequence<byte>(bytes), out var length));
        Assert.Equal(frame.Length, length);
    }

    [Theory]
    [MemberData(nameof(ValidFrames))]
    public void Every_proper_prefix_needs_more_and_the_fresh_scanner_agrees(string frame)
    {
        var bytes = RespTestData.Bytes(frame);
        for (var split = 0; split < bytes.Length; split++)
        {
            var scanner = default(RespFrameScanner);
            Assert.False(scanner.TryScan(new ReadOnlySequence<byte>(bytes, 0, split), out _));

            // Resume with the rest appended.
            Assert.True(scanner.TryScan(new ReadOnlySequence<byte>(bytes), out var length));
            Assert.Equal(bytes.Length, length);
        }
    }

    [Theory]
    [MemberData(nameof(ValidFrames))]
    public void Resuming_on_a_segmented_buffer_finds_the_same_frame(string frame)
    {
        var bytes = RespTestData.Bytes(frame);
        for (var split = 1; split < bytes.Length; split++)
        {
            var scanner = default(RespFrameScanner);
            Assert.False(scanner.TryScan(new ReadOnlySequence<byte>(bytes, 0, split), out _));

            Assert.True(scanner.TryScan(RespTestData.TwoSegments(bytes, split), out var length));
            Assert.Equal(bytes.Length, length);

            scanner = default;
            Assert.False(scanner.TryScan(RespTestData.OneBytePerSegment(bytes[..split]), out _));
            Assert.True(scanner.TryScan(RespTestData.OneBytePerSegment(bytes), out length));
            Assert.Equal(bytes.Length, length);
        }
    }

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Garbage_in_one_segment_per_byte_is_a_protocol_error(string input, string why)
    {
        var bytes = RespTestData.Bytes(input);
        var scanner = default(RespFrameScanner);

        Assert.Throws<RedisProtocolException>(() => scanner.TryScan(RespTestData.OneBytePerSegment(bytes), out _));
        Assert.NotNull(why);
    }

    [Theory]
    [MemberData(nameof(ValidFrames))]
    public void Fed_one_byte_at_a_time_the_frame_completes_exactly_at_its_last_byte(string frame)
    {
        var bytes = RespTestData.Bytes(frame);
        var scanner = default(RespFrameScanner);
        for (var available = 1; available < bytes.Length; available++)
        {
            Assert.False(scanner.TryScan(new ReadOnlySequence<byte>(bytes, 0, available), out _));
            Assert.True(scanner.Scanned <= available);
        }

        Assert.True(scanner.TryScan(new ReadOnlySequence<byte>(bytes), out var length));
        Assert.Equal(bytes.Length, length);
        Assert.Equal(0, scanner.Scanned);
    }

    [Theory]
    [MemberData(nameof(ValidFrames))]
    public void Frame_split_across_two_segments_at_every_offset_is_found(string frame)
    {
        var bytes = RespTestData.Bytes(frame);
        for (var split = 0; split <= bytes.Length; split++)
        {
            var scanner = default(RespFrameScanner);
            Assert.True(scanner.TryScan(RespTestData.TwoSegments(bytes, split), out var length));
            Assert.Equal(bytes.Length, length);
        }
    }

    [Theory]
    [MemberData(nameof(ValidFrames))]
    public void Frame_in_one_segment_per_byte_is_found(string frame)
    {
        var bytes = RespTestData.Bytes(frame);
        var scanner = default(RespFrameScanner);

        Assert.True(scanner.TryScan(RespTestData.OneBytePerSegment(bytes), out var length));
        Assert.Equal(bytes.Length, length);
    }

    [Fact]
    public void Consecutive_frames_are_scanned_one_after_another_from_one_reader()
    {
        var frames = RespTestData.Frames;
        var bytes = RespTestData.Bytes(string.Concat(frames));
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        var scanner = default(RespFrameScanner);

        foreach (var frame in frames)
        {
            Assert.True(scanner.TryScan(ref reader, out var length));
            Assert.Equal(frame.Length, length);
        }

        Assert.True(reader.End);
        Assert.False(scanner.TryScan(ref reader, out _));
    }

    [Fact]
    public void Reader_is_left_at_the_frame_start_when_more_is_needed()
    {
        var bytes = RespTestData.Bytes("+OK\r\n*2\r\n:1\r\n:2");
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        var scanner = default(RespFrameScanner);

        Assert.True(scanner.TryScan(ref reader, out _));
        Assert.False(scanner.TryScan(ref reader, out _));
        Assert.Equal(5, reader.Consumed);
        Assert.Equal(8, scanner.Scanned); // "*2\r\n:1\r\n" is validated; ":2" is not.
    }

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Garbage_is_a_protocol_error(string input, string why)
    {
        var bytes = RespTestData.Bytes(input);
        var scanner = default(RespFrameScanner);

        var error = Assert.Throws<RedisProtocolException>(() => scanner.TryScan(new ReadOnlySequence<byte>(bytes), out _));
        Assert.False(string.IsNullOrEmpty(error.Message), why);
    }

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Garbage_fed_one_byte_at_a_time_is_rejected_without_ever_completing(string input, string why)
    {
        var bytes = RespTestData.Bytes(input);
        var scanner = default(RespFrameScanner);
        var threw = false;
        for (var available = 1; available <= bytes.Length && !threw; available++)
        {
            try
            {
                Assert.False(scanner.TryScan(new ReadOnlySequence<byte>(bytes, 0, available), out _), why);
            }
            catch (RedisProtocolException)
            {
                threw = true;
            }
        }

        Assert.True(threw, why);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_rejected()
    {
        var deep = string.Concat(Enumerable.Repeat("*1\r\n", RespFrameScanner.MaxDepth + 1)) + ":1\r\n";
        var scanner = default(RespFrameScanner);

        Assert.Throws<RedisProtocolException>(() => scanner.TryScan(new ReadOnlySequence<byte>(RespTestData.Bytes(deep)), out _));
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_accepted()
    {
        var deep = string.Concat(Enumerable.Repeat("*1\r\n", RespFrameScanner.MaxDepth)) + ":1\r\n";
        var scanner = default(RespFrameScanner);

        Assert.True(scanner.TryScan(new ReadOnlySequence<byte>(RespTestData.Bytes(deep)), out var length));
        Assert.Equal(deep.Length, length);
    }

    [Fact]
    public void Status_line_without_an_end_is_rejected_once_longer_than_the_limit()
    {
        var bytes = RespTestData.Bytes("+" + new string('a', RespFrameScanner.MaxLineLength + 10));
        var scanner = default(RespFrameScanner);

        Assert.Throws<RedisProtocolException>(() => scanner.TryScan(new ReadOnlySequence<byte>(bytes), out _));
    }

    [Fact]
    public void Status_line_without_an_end_below_the_limit_needs_more()
    {
        var bytes = RespTestData.Bytes("+" + new string('a', 1000));
        var scanner = default(RespFrameScanner);

        Assert.False(scanner.TryScan(new ReadOnlySequence<byte>(bytes), out _));
    }

    [Fact]
    public void Large_bulk_string_waits_for_its_payload_without_rescanning_earlier_elements()
    {
        var payload = new string('x', 100_000);
        var bytes = RespTestData.Bytes($"*2\r\n:7\r\n${payload.Length}\r\n{payload}\r\n");
        var scanner = default(RespFrameScanner);

        Assert.False(scanner.TryScan(new ReadOnlySequence<byte>(bytes, 0, 50_000), out _));
        Assert.Equal(8, scanner.Scanned);
        Assert.True(scanner.TryScan(new ReadOnlySequence<byte>(bytes), out var length));
        Assert.Equal(bytes.Length, length);
    }

    [Fact]
    public void Reset_forgets_a_partial_frame()
    {
        var scanner = default(RespFrameScanner);
        Assert.False(scanner.TryScan(new ReadOnlySequence<byte>(RespTestData.Bytes("*2\r\n:1\r\n")), out _));

        scanner.Reset();

        Assert.True(scanner.TryScan(new ReadOnlySequence<byte>(RespTestData.Bytes("+OK\r\n")), out var length));
        Assert.Equal(5, length);
    }
}
