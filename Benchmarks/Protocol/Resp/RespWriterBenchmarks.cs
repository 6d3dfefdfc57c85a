using System.Buffers;
using BenchmarkDotNet.Attributes;
using Ticker.Protocol.Resp;

namespace Ticker.Benchmarks.Protocol.Resp;

/// <summary>
/// The snapshot sink's hot path: encoding HSET/PUBLISH commands into a reused <see cref="RedisBatch"/> (expected:
/// 0 bytes allocated per command), and the same through <see cref="RespWriter"/> over a reused buffer writer.
/// </summary>
[MemoryDiagnoser]
public class RespWriterBenchmarks
{
    private const int CommandsPerBatch = 1000;

    private readonly RedisBatch _batch = new(256 * 1024);
    private readonly ArrayBufferWriter<byte> _output = new(256 * 1024);
    private readonly byte[] _key = "snap:256265"u8.ToArray();
    private readonly byte[] _payload = new byte[184];

    /// <summary>HSET key ltp &lt;double&gt; volume &lt;long&gt; iv &lt;double&gt; ts &lt;long&gt;, per command.</summary>
    [Benchmark(OperationsPerInvoke = CommandsPerBatch)]
    public int BatchHset()
    {
        _batch.Clear();
        for (var i = 0; i < CommandsPerBatch; i++)
        {
            _batch.BeginCommand(10);
            _batch.Arg(RespLiterals.HSET);
            _batch.Arg(_key);
            _batch.Arg("ltp"u8);
            _batch.Arg(24_150.05 + i);
            _batch.Arg("vol"u8);
            _batch.Arg(1_234_567L + i);
            _batch.Arg("iv"u8);
            _batch.Arg(0.1834);
            _batch.Arg("ts"u8);
            _batch.Arg(1_763_700_000_000L + i);
        }

        return _batch.Length;
    }

    /// <summary>PUBLISH channel &lt;binary payload&gt;, per command.</summary>
    [Benchmark(OperationsPerInvoke = CommandsPerBatch)]
    public int BatchPublish()
    {
        _batch.Clear();
        for (var i = 0; i < CommandsPerBatch; i++)
        {
            _batch.BeginCommand(3);
            _batch.Arg(RespLiterals.PUBLISH);
            _batch.Arg(_key);
            _batch.Arg(_payload);
        }

        return _batch.Length;
    }

    /// <summary>The same HSET through the ref-struct writer over an <see cref="IBufferWriter{T}"/>, per command.</summary>
    [Benchmark(OperationsPerInvoke = CommandsPerBatch)]
    public int WriterHset()
    {
        _output.ResetWrittenCount();
        var writer = new RespWriter(_output);
        for (var i = 0; i < CommandsPerBatch; i++)
        {
            writer.BeginCommand(10);
            writer.Arg(RespLiterals.HSET);
            writer.Arg(_key);
            writer.Arg("ltp"u8);
            writer.Arg(24_150.05 + i);
            writer.Arg("vol"u8);
            writer.Arg(1_234_567L + i);
            writer.Arg("iv"u8);
            writer.Arg(0.1834);
            writer.Arg("ts"u8);
            writer.Arg(1_763_700_000_000L + i);
        }

        return _output.WrittenCount;
    }
}
