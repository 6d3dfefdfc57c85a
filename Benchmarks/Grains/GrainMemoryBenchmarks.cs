using BenchmarkDotNet.Attributes;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Grains.Market;

namespace Ticker.Benchmarks.Grains;

/// <summary>
/// Memory of an instrument grain: activating a grain and applying its first tick, per grain (one operation). The
/// allocated bytes per operation are the grain's footprint (object, inline last tick with depth, bars, Greeks).
/// </summary>
[MemoryDiagnoser]
public class GrainMemoryBenchmarks
{
    private const int Grains = 1000;

    private InstrumentMaster _master = null!;
    private Tick[] _ticks = null!;
    private int[] _ids = null!;
    private GrainDirectory? _directory;

    [GlobalSetup]
    public void Setup()
    {
        _master = SyntheticMaster.Create(SyntheticMaster.TodayInIndia(TimeProvider.System));
        _ticks = new Tick[Grains];
        _ids = new int[Grains];
        for (var i = 0; i < Grains; i++)
        {
            var instrument = _master[i];
            _ids[i] = i;
            _ticks[i] = new Tick { InstrumentToken = instrument.InstrumentToken, Mode = TickMode.Full, LastPrice = 100 };
        }
    }

    /// <summary>Activates 1,000 grains on a fresh shard (its directory arrays are created in setup, not counted).</summary>
    [Benchmark(OperationsPerInvoke = Grains)]
    public int ActivateGrain()
    {
        var directory = _directory!;
        var snapshot = new InstrumentSnapshot();
        for (var i = 0; i < Grains; i++)
        {
            directory.GetOrActivate(_ids[i]).Apply(in _ticks[i], new StreamPosition(new StreamEntryId(1, 0), i), 0, 0, ref snapshot);
        }

        return directory.ActiveCount;
    }

    [IterationSetup(Target = nameof(ActivateGrain))]
    public void FreshShard() =>
        _directory = new GrainDirectory(_master, new ShardContext(0, _master, new InstrumentSettings(new GreeksOptions(), new GrainOptions())));
}
