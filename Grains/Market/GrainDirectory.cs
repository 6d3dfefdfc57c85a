using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Instruments;

namespace Ticker.Grains.Market;

/// <summary>
/// The grains one shard worker owns, indexed by master id: activated on first tick, deactivated after an idle
/// period. Only the owning worker touches it.
/// </summary>
public sealed class GrainDirectory
{
    private readonly InstrumentMaster _master;
    private readonly ShardContext _context;
    private readonly InstrumentGrain?[] _grains;

    // What a deactivated grain keeps, like Orleans' persisted grain state: its tick count (so `ticks` in snapshots
    // never goes backwards) and its last IV (the warm start).
    private readonly long[] _savedTicks;
    private readonly double[] _savedIv;
    private int _active;

    /// <summary>Creates the empty directory of one shard.</summary>
    public GrainDirectory(InstrumentMaster master, ShardContext context)
    {
        _master = master;
        _context = context;
        _grains = new InstrumentGrain?[master.Count];
        _savedTicks = new long[master.Count];
        _savedIv = new double[master.Count];
    }

    /// <summary>Grains currently active.</summary>
    public int ActiveCount => _active;

    /// <summary>Grains activated since start.</summary>
    public long Activations { get; private set; }

    /// <summary>Grains deactivated since start.</summary>
    public long Deactivations { get; private set; }

    /// <summary>The grain of master id <paramref name="id"/>, activating it on first use.</summary>
    /// <remarks>Allocates only on activation.</remarks>
    public InstrumentGrain GetOrActivate(int id) => _grains[id] ?? Activate(id);

    /// <summary>The grain of master id <paramref name="id"/> if active.</summary>
    public InstrumentGrain? Find(int id) => (uint)id < (uint)_grains.Length ? _grains[id] : null;

    /// <summary>Deactivates every grain idle since before <paramref name="idleSinceUs"/>; returns how many.</summary>
    public int DeactivateIdle(long idleSinceUs)
    {
        var removed = 0;
        for (var i = 0; i < _grains.Length; i++)
        {
            if (_grains[i] is { } grain && grain.LastActivityUs < idleSinceUs)
            {
                _savedTicks[i] = grain.TickCount;
                _savedIv[i] = grain.ImpliedVolatility;
                _grains[i] = null;
                removed++;
            }
        }

        _active -= removed;
        Deactivations += removed;
        return removed;
    }

    private InstrumentGrain Activate(int id)
    {
        var instrument = _master[id];
        var underlyingId = instrument.UnderlyingToken != 0 && _master.TryGetId(instrument.UnderlyingToken, out var u) ? u : -1;
        var grain = new InstrumentGrain(instrument, underlyingId, _context);
        grain.Restore(_savedTicks[id], _savedIv[id]);
        _grains[id] = grain;
        _active++;
        Activations++;
        return grain;
    }
}
