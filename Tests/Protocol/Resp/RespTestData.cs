using System.Buffers;
using System.Text;

namespace Ticker.Tests.Protocol.Resp;

/// <summary>Reply payloads and helpers shared by the RESP parser tests.</summary>
internal static class RespTestData
{
    /// <summary>One well-formed frame of every reply type and shape.</summary>
    public static readonly string[] Frames =
    [
        "+OK\r\n",
        "+\r\n",
        "-ERR unknown command 'FOO'\r\n",
        "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
        ":0\r\n",
        ":-123\r\n",
        ":9223372036854775807\r\n",
        ":-9223372036854775808\r\n",
        "$5\r\nhello\r\n",
        "$0\r\n\r\n",
        "$-1\r\n",
        "$6\r\n\r\n\r\n\r\n\r\n",
        "*-1\r\n",
        "*0\r\n",
        "*3\r\n$3\r\nfoo\r\n:42\r\n$-1\r\n",
        "*2\r\n*1\r\n+x\r\n*0\r\n",
        "*2\r\n*2\r\n*1\r\n:1\r\n-ERR nested\r\n$1\r\nz\r\n",
        // An XREADGROUP reply: [[stream, [[id, [field, value]]]]].
        "*1\r\n*2\r\n$7\r\nticks:0\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\np\r\n$3\r\n\x00\r\n\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\np\r\n$2\r\n\xff\xfe\r\n",
    ];

    /// <summary>Input the scanner must reject, and why.</summary>
    public static readonly (string Input, string Why)[] GarbageInputs =
    [
        ("!3\r\nabc\r\n", "unknown type byte (RESP3 blob error)"),
        ("%1\r\n", "unknown type byte (RESP3 map)"),
        ("hello\r\n", "inline text"),
        ("+OK\n", "LF without CR"),
        ("-ERR x\n", "error without CR"),
        ("+\n", "empty line without CR"),
        (":12a\r\n", "non-digit in integer"),
        (":\r\n", "integer without digits"),
        (":-\r\n", "integer with only a sign"),
        (":1\rX", "CR not followed by LF"),
        (":99999999999999999999\r\n", "integer with 20 digits"),
        (":9223372036854775808\r\n", "integer one above long.MaxValue"),
        (":-9223372036854775809\r\n", "integer one below long.MinValue"),
        ("$-2\r\n", "negative bulk length other than -1"),
        ("*-5\r\n", "negative array length other than -1"),
        ("$3\r\nabcXY", "bulk string not followed by CRLF"),
        ("$600000000\r\n", "bulk string above 512 MiB"),
        ("*100000000\r\n", "array above 64 Mi elements"),
        ("$2147483648\r\n", "bulk length above int.MaxValue"),
        ("*2\r\n+ok\r\n!x\r\n", "unknown type byte inside an array"),
    ];

    /// <summary>The frames as theory data.</summary>
    public static TheoryData<string> ValidFrames()
    {
        var data = new TheoryData<string>();
        foreach (var frame in Frames)
        {
            data.Add(frame);
        }

        return data;
    }

    /// <summary>The garbage as theory data.</summary>
    public static TheoryData<string, string> Garbage()
    {
        var data = new TheoryData<string, string>();
        foreach (var (input, why) in GarbageInputs)
        {
            data.Add(input, why);
        }

        return data;
    }

    /// <summary>Latin-1 keeps every char below 256 as one byte, so test strings can hold binary.</summary>
    public static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    /// <summary>A sequence of two segments split at <paramref name="split"/>.</summary>
    public static ReadOnlySequence<byte> TwoSegments(byte[] bytes, int split)
    {
        var first = new Segment(bytes.AsMemory(0, split));
        var second = first.Append(bytes.AsMemory(split));
        return new ReadOnlySequence<byte>(first, 0, second, second.Memory.Length);
    }

    /// <summary>A sequence of one segment per byte.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(bytes.AsMemory(0, 1));
        var last = first;
        for (var i = 1; i < bytes.Length; i++)
        {
            last = last.Append(bytes.AsMemory(i, 1));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory)
        {
            Memory = memory;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
