using BenchmarkDotNet.Attributes;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Grains.Validation;

namespace Ticker.Benchmarks.Grains;

/// <summary>
/// Validation of one batch of 1,000 full-mode ticks over the synthetic master: 80 % options, 20 % indices and
/// futures, 5 % invalid (spread over several reasons). Lenient compacts in place, so every lenient or strict run
/// first restores the batch; <see cref="CopyBatch"/> measures that copy alone.
/// </summary>
[MemoryDiagnoser]
public class ValidationBenchmarks
{
    private const int BatchSize = 1_000;

    /// <summary>2025-11-21T10:00:00 IST.</summary>
    private const long Now = 1_763_699_400;

    private readonly Tick[] _source = new Tick[BatchSize];
    private readonly Tick[] _work = new Tick[BatchSize];
    private readonly int[] _counts = new int[TickValidator.ReasonCount];
    private TickValidator _lenient = null!;
    private TickValidator _strict = null!;

    /// <summary>Builds the master, the validators and the batch.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var master = SyntheticMaster.Create(new DateOnly(2025, 11, 21));
        _lenient = new TickValidator(master, new TickValidationOptions { Mode = ValidationMode.Lenient });
        _strict = new TickValidator(master, new TickValidationOptions { Mode = ValidationMode.Strict });

        var options = new List<Instrument>();
        var others = new List<Instrument>();
        foreach (var instrument in master.Instruments)
        {
            (instrument.IsOption ? options : others).Add(instrument);
        }

        var random = new Random(42);
        for (var i = 0; i < BatchSize; i++)
        {
            var instrument = i % 5 == 0 ? others[random.Next(others.Count)] : options[random.Next(options.Count)];
            ref var tick = ref _source[i];
            var price = instrument.IsOption ? 5 + (random.NextDouble() * 400) : instrument.LastPrice;
            tick = new Tick
            {
                InstrumentToken = instrument.InstrumentToken,
                Mode = TickMode.Full,
                Tradable = instrument.Kind != InstrumentKind.Underlying,
                LastPrice = price,
                LastTradedQuantity = 75,
                AverageTradedPrice = price,
                VolumeTraded = random.Next(1, 5_000_000),
                TotalBuyQuantity = random.Next(0, 100_000),
                TotalSellQuantity = random.Next(0, 100_000),
                Open = price,
                High = price * 1.01,
                Low = price * 0.99,
                Close = price,
                LastTradeTime = Now - random.Next(0, 120),
                Oi = random.Next(0, 10_000_000),
                OiDayHigh = 10_000_000,
                ExchangeTimestamp = Now - random.Next(0, 3),
            };
            for (var level = 0; level < DepthSide.Levels; level++)
            {
                tick.Buy[level] = new DepthLevel { Price = price - (0.05 * (level + 1)), Quantity = 75 * (level + 1), Orders = level + 1 };
                tick.Sell[level] = new DepthLevel { Price = price + (0.05 * (level + 1)), Quantity = 75 * (level + 1), Orders = level + 1 };
            }

            // One tick in twenty breaks a rule.
            switch (i % 100)
            {
                case 7: tick.InstrumentToken = 999_999; break;
                case 23: tick.LastPrice = double.NaN; break;
                case 41: tick.VolumeTraded = -1; break;
                case 59: tick.ExchangeTimestamp = Now + 3_600; break;
                case 77: tick.Sell[3].Quantity = -5; break;
            }
        }
    }

    /// <summary>Restoring the batch alone (part of every other benchmark).</summary>
    [Benchmark(Baseline = true)]
    public int CopyBatch()
    {
        _source.CopyTo(_work, 0);
        return _work.Length;
    }

    /// <summary>Restore, then lenient validation (drops 50 ticks, compacts the rest).</summary>
    [Benchmark]
    public int Lenient()
    {
        _source.CopyTo(_work, 0);
        return _lenient.ValidateBatch(_work, Now, _counts).ValidCount;
    }

    /// <summary>Restore, then strict validation (checks all 1,000, rejects the batch).</summary>
    [Benchmark]
    public int Strict()
    {
        _source.CopyTo(_work, 0);
        return _strict.ValidateBatch(_work, Now, _counts).InvalidCount;
    }

    /// <summary><see cref="TickValidator.Validate"/> on each of the 1,000 ticks (no copy needed: it only reads).</summary>
    [Benchmark]
    public int PerTick()
    {
        var valid = 0;
        for (var i = 0; i < _source.Length; i++)
        {
            if (_lenient.Validate(in _source[i], Now) == TickValidationReason.Valid)
            {
                valid++;
            }
        }

        return valid;
    }
}
