using System.Buffers.Binary;
using Ticker.Client.Recording;

namespace Ticker.Tests.Client.Recording;

public sealed class KiteRecordingUnitTests
{
    private const long StartUs = 1_763_700_000_000_000;

    private static readonly (byte[] Frame, long AtUs)[] Frames =
    [
        ([0x00], StartUs + 5),
        ([0x00, 0x01, 0x00, 0x08, 0, 4, 0xE9, 0x09, 0, 0, 0x5D, 0xC0], StartUs + 1_000_000),
        ([], StartUs + 1_000_000),
        ([.. Enumerable.Range(0, 300).Select(i => (byte)i)], StartUs + 1_000_200),
        ([0x00], StartUs + 1_000_100), // the clock stepped back: recorded as no time passed
        ([1, 2, 3], StartUs + (1L << 40)),
    ];

    [Fact]
    public async Task Frames_and_receive_times_round_trip()
    {
        var bytes = Record(Frames);

        var read = await ReadAllAsync(new MemoryStream(bytes));

        Assert.Equal(Frames.Length, read.Frames.Count);
        for (var i = 0; i < Frames.Length; i++)
        {
            Assert.Equal(Frames[i].Frame, read.Frames[i].Frame);
        }

        Assert.Equal([StartUs + 5, StartUs + 1_000_000, StartUs + 1_000_000, StartUs + 1_000_200, StartUs + 1_000_200, StartUs + (1L << 40)], read.Frames.Select(f => f.AtUs));
        Assert.Equal(0, read.TruncatedBytes);
        Assert.False(read.Corrupt);
    }

    [Fact]
    public void The_format_is_the_documented_one()
    {
        var bytes = Record([([0xAB, 0xCD], StartUs + 300)]);

        Assert.Equal("KTRC"u8.ToArray(), bytes[..4]);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(6)));
        Assert.Equal(StartUs, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)));

        // 300 = 0b10_0101100: varint AC 02, then length 2 as uint32 LE, then the frame.
        Assert.Equal(new byte[] { 0xAC, 0x02, 2, 0, 0, 0, 0xAB, 0xCD }, bytes[16..]);
    }

    [Fact]
    public async Task Every_split_of_the_input_reads_the_same_frames()
    {
        var bytes = Record(Frames);
        var expected = await ReadAllAsync(new MemoryStream(bytes));

        for (var split = 0; split <= bytes.Length; split++)
        {
            var read = await ReadAllAsync(new ChunkedStream(bytes, split));
            AssertSame(expected, read, $"split at {split}");
        }

        AssertSame(expected, await ReadAllAsync(ChunkedStream.OneByteAtATime(bytes)), "one byte at a time");
    }

    [Fact]
    public async Task A_file_cut_anywhere_gives_the_complete_frames_and_counts_the_tail()
    {
        var bytes = Record(Frames);
        var boundaries = RecordBoundaries(bytes);

        for (var cut = KiteRecordingFormat.HeaderLength; cut <= bytes.Length; cut++)
        {
            var read = await ReadAllAsync(new ChunkedStream(bytes[..cut], cut / 2));

            var complete = boundaries.Count(b => b <= cut) - 1;
            Assert.True(complete == read.Frames.Count, $"cut at {cut}: {read.Frames.Count} frames, expected {complete}");
            Assert.Equal(cut - boundaries.Where(b => b <= cut).Max(), read.TruncatedBytes);
            Assert.False(read.Corrupt);
        }
    }

    [Theory]
    [InlineData(0, "shorter than the 16-byte header (0 bytes)")]
    [InlineData(15, "shorter than the 16-byte header (15 bytes)")]
    public async Task A_file_shorter_than_the_header_is_not_a_recording(int length, string reason)
    {
        var bytes = Record(Frames)[..length];

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => KiteRecordingReader.OpenAsync(new MemoryStream(bytes), false, CancellationToken.None));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_magic_or_version_is_named()
    {
        var bytes = Record(Frames);
        var magic = (byte[])bytes.Clone();
        magic[0] = (byte)'X';
        var version = (byte[])bytes.Clone();
        version[4] = 9;

        var badMagic = await Assert.ThrowsAsync<InvalidDataException>(() => KiteRecordingReader.OpenAsync(new MemoryStream(magic), false, CancellationToken.None));
        var badVersion = await Assert.ThrowsAsync<InvalidDataException>(() => KiteRecordingReader.OpenAsync(new MemoryStream(version), false, CancellationToken.None));

        Assert.Contains("does not start with \"KTRC\"", badMagic.Message, StringComparison.Ordinal);
        Assert.Contains("format version 9; this build reads version 1", badVersion.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0xFF, 0xFF, 0xFF, 0x7F })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0, 0, 0, 0 })]
    public async Task A_record_that_cannot_be_one_stops_the_reading_as_corrupt(byte[] garbage)
    {
        var good = Record(Frames[..2]);
        byte[] bytes = [.. good, .. garbage, .. new byte[32]];

        var read = await ReadAllAsync(new MemoryStream(bytes));

        Assert.Equal(2, read.Frames.Count);
        Assert.True(read.Corrupt);
        Assert.Equal(good.Length, read.CorruptAt);
    }

    [Fact]
    public async Task Frames_larger_than_the_read_buffer_are_read_whole()
    {
        var big = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7)).ToArray();
        var bytes = Record([([0], StartUs), (big, StartUs + 1), ([0], StartUs + 2)]);

        var read = await ReadAllAsync(new ChunkedStream(bytes, 1000, 70_000, 150_000));

        Assert.Equal(3, read.Frames.Count);
        Assert.Equal(big, read.Frames[1].Frame);
    }

    [Fact]
    public async Task The_writer_is_safe_to_share_and_counts_what_it_wrote()
    {
        using var output = new MemoryStream();
        using (var writer = new KiteRecordingWriter(output, StartUs, leaveOpen: true))
        {
            Parallel.For(0, 8, i =>
            {
                for (var j = 0; j < 500; j++)
                {
                    writer.WriteFrame([(byte)i, (byte)j], StartUs + j);
                }
            });
            Assert.Equal(4_000, writer.Frames);
            writer.Flush();
            Assert.Equal(output.Length, writer.Bytes);
        }

        var read = await ReadAllAsync(new MemoryStream(output.ToArray()));
        Assert.Equal(4_000, read.Frames.Count);
        Assert.All(read.Frames, f => Assert.Equal(2, f.Frame.Length));
    }

    internal static byte[] Record((byte[] Frame, long AtUs)[] frames)
    {
        using var output = new MemoryStream();
        using (var writer = new KiteRecordingWriter(output, StartUs, leaveOpen: true))
        {
            foreach (var (frame, at) in frames)
            {
                writer.WriteFrame(frame, at);
            }
        }

        return output.ToArray();
    }

    private static List<int> RecordBoundaries(byte[] bytes)
    {
        var boundaries = new List<int> { KiteRecordingFormat.HeaderLength };
        var offset = KiteRecordingFormat.HeaderLength;
        while (KiteRecordingFormat.TryReadRecord(bytes.AsSpan(offset), out _, out var header, out var length) == KiteRecordStatus.Complete)
        {
            offset += header + length;
            boundaries.Add(offset);
        }

        Assert.Equal(bytes.Length, offset);
        return boundaries;
    }

    private static void AssertSame(Read expected, Read actual, string context)
    {
        Assert.True(expected.Frames.Count == actual.Frames.Count, $"{context}: {actual.Frames.Count} frames");
        for (var i = 0; i < expected.Frames.Count; i++)
        {
            Assert.True(expected.Frames[i].Frame.AsSpan().SequenceEqual(actual.Frames[i].Frame), $"{context}: frame {i} differs");
            Assert.Equal(expected.Frames[i].AtUs, actual.Frames[i].AtUs);
        }

        Assert.Equal(0, actual.TruncatedBytes);
    }

    private static async Task<Read> ReadAllAsync(Stream input)
    {
        using var reader = await KiteRecordingReader.OpenAsync(input, false, CancellationToken.None);
        Assert.Equal(StartUs, reader.StartUs);
        var frames = new List<(byte[] Frame, long AtUs)>();
        while (await reader.ReadAsync(CancellationToken.None))
        {
            frames.Add((reader.Frame.ToArray(), reader.ReceivedAtUs));
        }

        Assert.Equal(frames.Count, reader.Frames);
        return new Read(frames, reader.TruncatedBytes, reader.Corrupt, reader.CorruptAt);
    }

    private sealed record Read(List<(byte[] Frame, long AtUs)> Frames, long TruncatedBytes, bool Corrupt, long CorruptAt);
}
