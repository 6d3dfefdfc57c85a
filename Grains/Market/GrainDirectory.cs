using Ticker.Grains.Diagnostics;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Snapshots;

namespace Ticker.Grains.Market;

/// <summary>
/// The instrument states one Redis shard worker owns, indexed by master id: activated on first tick, deactivated
/// after an idle period. Only the owning worker touches it. (The embedded silo runs on Orleans grains instead.)
/// </summary>
public sealed class GrainDirectory
{
    private readonly InstrumentMaster _master;
    private readonly ShardContext _context;
    private readonly InstrumentState?[] _grains;
    private readonly SiloStatistics? _statistics;

    // What a deactivated grain keeps, like Orleans' persisted grain state: its last snapshot (so `ticks` never goes
    // backwards, the IV warm start and the stream position survive). Only deactivated grains take room here.
    private readonly Dictionary<int, InstrumentSnapshot> _saved = [];
    private int _active;

    /// <summary>Creates the empty directory of one shard.</summary>
    public GrainDirectory(InstrumentMaster master, ShardContext context, SiloStatistics? statistics = null)
    {
        _master = master;
        _context = context;
        _statistics = statistics;
        _grains = new InstrumentState?[master.Count];
    }

    /// <summary>Grains currently active.</summary>
    public int ActiveCount => _active;

    /// <summary>Grains activated since start.</summary>
    public long Activations { get; private set; }

    /// <summary>Grains deactivated since start.</summary>
    public long Deactivations { get; private set; }

    /// <summary>The grain of master id <paramref name="id"/>, activating it on first use.</summary>
    /// <remarks>Allocates only on activation.</remarks>
    public InstrumentState GetOrActivate(int id) => _grains[id] ?? Activate(id);

    /// <summary>The grain of master id <paramref name="id"/> if active.</summary>
    public InstrumentState? Find(int id) => (uint)id < (uint)_grains.Length ? _grains[id] : null;

    /// <summary>Activates the grain of master id <paramref name="id"/> with the state <paramref name="snapshot"/> recorded.</summary>
    public InstrumentState Restore(int id, in InstrumentSnapshot snapshot)
    {
        var grain = GetOrActivate(id);
        grain.Restore(in snapshot);
        return grain;
    }

    /// <summary>Deactivates every grain idle since before <paramref name="idleSinceUs"/>; returns how many.</summary>
    public int DeactivateIdle(long idleSinceUs)
    {
        var removed = 0;
        for (var i = 0; i < _grains.Length; i++)
        {
            if (_grains[i] is { } grain && grain.LastActivityUs < idleSinceUs)
            {
                var saved = default(InstrumentSnapshot);
                grain.WriteSnapshot(ref saved);
                _saved[i] = saved;
                _grains[i] = null;
                removed++;
            }
        }

        _active -= removed;
        _statistics?.OnGrainsActivated(-removed);
        Deactivations += removed;
        return removed;
    }

    private InstrumentState Activate(int id)
    {
        var grain = new InstrumentState(_master[id], _context.Settings);
        if (_saved.Remove(id, out var saved))
        {
            grain.Restore(in saved);
        }
        _grains[id] = grain;
        _active++;
        _statistics?.OnGrainsActivated(1);
        Activations++;
        return grain;
    }
}
