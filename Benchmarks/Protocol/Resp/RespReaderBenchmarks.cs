using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Ticker.Protocol.Resp;

namespace Ticker.Benchmarks.Protocol.Resp;

/// <summary>
/// The reply side: scanning a pipelined run of <c>+OK</c>/<c>:1</c> replies, and walking an XREADGROUP reply of
/// 100 entries with the span reader (expected: 0 bytes allocated).
/// </summary>
[MemoryDiagnoser]
public class RespReaderBenchmarks
{
    private const int Replies = 1000;

    private byte[] _pipelined = [];
    private byte[] _xreadgroup = [];

    /// <summary>Builds the inputs.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var replies = new StringBuilder();
        for (var i = 0; i < Replies; i++)
        {
            replies.Append(i % 2 == 0 ? "+OK\r\n" : ":1\r\n");
        }

        _pipelined = Encoding.ASCII.GetBytes(replies.ToString());

        var entries = new StringBuilder("*1\r\n*2\r\n$7\r\nticks:0\r\n*100\r\n");
        var payload = new string('p', 180);
        for (var i = 0; i < 100; i++)
        {
            var id = $"1763700000000-{i}";
            entries.Append($"*2\r\n${id.Length}\r\n{id}\r\n*2\r\n$1\r\nt\r\n${payload.Length}\r\n{payload}\r\n");
        }

        _xreadgroup = Encoding.ASCII.GetBytes(entries.ToString());
    }

    /// <summary>Frame scanning, per reply.</summary>
    [Benchmark(OperationsPerInvoke = Replies)]
    public int ScanPipelinedReplies()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(_pipelined));
        var scanner = default(RespFrameScanner);
        var frames = 0;
        while (scanner.TryScan(ref reader, out _))
        {
            frames++;
        }

        return frames;
    }

    /// <summary>Walking a 100-entry XREADGROUP reply to its payload spans, per reply.</summary>
    [Benchmark]
    public long WalkXreadgroup()
    {
        var reader = new RespReader(_xreadgroup);
        long bytes = 0;
        var streams = reader.ReadArrayLength();
        for (var s = 0; s < streams; s++)
        {
            reader.ReadArrayLength();
            reader.ReadBulkString();
            var entries = reader.ReadArrayLength();
            for (var e = 0; e < entries; e++)
            {
                reader.ReadArrayLength();
                reader.ReadBulkString();
                var fields = reader.ReadArrayLength();
                for (var f = 0; f < fields; f += 2)
                {
                    reader.ReadBulkString();
                    bytes += reader.ReadBulkString().Length;
                }
            }
        }

        return bytes;
    }
}
