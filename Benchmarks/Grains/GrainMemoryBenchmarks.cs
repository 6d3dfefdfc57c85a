using BenchmarkDotNet.Attributes;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Grains.Market;

namespace Ticker.Benchmarks.Grains;

/// <summary>
/// Memory of an instrument's state (what a partition consumer keeps per instrument): creating it and applying its first tick (one operation).
/// The allocated bytes per operation are the state's footprint (object, inline last tick with depth, bars, Greeks);
/// the Orleans activation around it (see OrleansPipelineBenchmarks) comes on top.
/// </summary>
[MemoryDiagnoser]
public class GrainMemoryBenchmarks
{
    private const int Grains = 1000;

    private InstrumentMaster _master = null!;
    private Tick[] _ticks = null!;
    private int[] _ids = null!;
    private InstrumentSettings _settings = null!;
    private InstrumentState?[] _states = null!;

    [GlobalSetup]
    public void Setup()
    {
        _master = SyntheticMaster.Create(SyntheticMaster.TodayInIndia(TimeProvider.System));
        _settings = new InstrumentSettings(new GreeksOptions(), new GrainOptions());
        _states = new InstrumentState?[Grains];
        _ticks = new Tick[Grains];
        _ids = new int[Grains];
        for (var i = 0; i < Grains; i++)
        {
            var instrument = _master[i];
            _ids[i] = i;
            _ticks[i] = new Tick { InstrumentToken = instrument.InstrumentToken, Mode = TickMode.Full, LastPrice = 100 };
        }
    }

    /// <summary>Creates 1,000 instrument states and applies each one's first tick.</summary>
    [Benchmark(OperationsPerInvoke = Grains)]
    public int ActivateGrain()
    {
        var snapshot = new InstrumentSnapshot();
        for (var i = 0; i < Grains; i++)
        {
            var state = _states[i] = new InstrumentState(_master[_ids[i]], _settings);
            state.Apply(in _ticks[i], new StreamPosition(new StreamEntryId(1, 0), i), 0, 0, ref snapshot);
        }

        return _states.Length;
    }
}
