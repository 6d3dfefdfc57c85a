using BenchmarkDotNet.Attributes;
using Ticker.Client.Recording;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Protocol.Kite;

namespace Ticker.Benchmarks.Client;

/// <summary>
/// The per-frame work of recording and replay on frames of 100 full packets (18.6 KB, a busy Kite frame): appending
/// a frame to a recording, reading recorded frames back, and moving a frame's exchange timestamps for a rebased
/// replay. Times are per frame; writing and shifting must show 0 bytes allocated (reading opens one reader per
/// 1,000 frames).
/// </summary>
[MemoryDiagnoser]
public class KiteRecordingBenchmarks
{
    private const int Packets = 100;
    private const int Frames = 1_000;
    private const long StartUs = 1_717_650_000_000_000;

    private byte[] _frame = [];
    private byte[] _recording = [];
    private KiteRecordingWriter _writer = null!;
    private MemoryStream _input = null!;
    private long _at = StartUs;

    /// <summary>Encodes the frame and a recording of 1,000 copies of it.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var ticks = new Tick[Packets];
        for (var i = 0; i < Packets; i++)
        {
            ticks[i] = new Tick
            {
                InstrumentToken = (uint)((40_000 + i) << 8) | 2,
                Mode = TickMode.Full,
                LastPrice = 100 + i,
                Close = 100,
                ExchangeTimestamp = StartUs / 1_000_000,
                LastTradeTime = StartUs / 1_000_000,
            };
        }

        _frame = new byte[KiteEncoder.MessageLength(ticks)];
        KiteEncoder.Encode(ticks, _frame);
        using (var output = new MemoryStream())
        {
            using (var writer = new KiteRecordingWriter(output, StartUs, leaveOpen: true))
            {
                for (var i = 0; i < Frames; i++)
                {
                    writer.WriteFrame(_frame, StartUs + (i * 1_000));
                }
            }

            _recording = output.ToArray();
        }

        _writer = new KiteRecordingWriter(Stream.Null, StartUs);
        _input = new MemoryStream(_recording, writable: false);
    }

    /// <summary>Disposes the writer.</summary>
    [GlobalCleanup]
    public void Cleanup() => _writer.Dispose();

    /// <summary>Appends one frame (framing and the copy into the stream; the stream discards it).</summary>
    [Benchmark]
    public void WriteFrame() => _writer.WriteFrame(_frame, _at += 1_000);

    /// <summary>Reads 1,000 recorded frames back.</summary>
    [Benchmark(OperationsPerInvoke = Frames)]
    public async Task<long> ReadFrames()
    {
        _input.Position = 0;
        using var reader = await KiteRecordingReader.OpenAsync(_input, leaveOpen: true, CancellationToken.None);
        long bytes = 0;
        while (await reader.ReadAsync(CancellationToken.None))
        {
            bytes += reader.Frame.Length;
        }

        return bytes;
    }

    /// <summary>Moves the exchange timestamps and last trade times of one frame (back and forth, so it stays put).</summary>
    [Benchmark]
    public int ShiftTimes() => KiteFrameTimes.Shift(_frame, 1) + KiteFrameTimes.Shift(_frame, -1);
}
