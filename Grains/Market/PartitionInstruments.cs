using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Ticker.Grains.Diagnostics;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Pricing;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Grains.Market;

/// <summary>
/// The instrument states of one stream partition, applied in place (plain C#, one caller at a time, as a grain's
/// turns are). A partition's consumer owns them: applying a tick is a method call on its state, not a grain call,
/// so a delivery of thousands of ticks over thousands of instruments costs one turn of one grain. Each delivery's
/// snapshots are collected into one buffer (with conflation, one per instrument), ready for the batcher.
/// </summary>
/// <remarks>
/// A state is loaded once per activation, from the instrument's last snapshot when there is one (so tick counts
/// carry on and redelivered ticks are recognised by stream position).
/// </remarks>
public sealed class PartitionInstruments
{
    private static readonly int SnapshotSize = Unsafe.SizeOf<InstrumentSnapshot>();
    private static readonly double NanosecondsPerTimestamp = 1e9 / Stopwatch.Frequency;

    private readonly InstrumentMaster _master;
    private readonly InstrumentSettings _settings;
    private readonly bool _conflate;
    private readonly IPipelineObserver _observer;
    private readonly LatencyHistogram _latency;
    private readonly InstrumentState?[] _states;

    // Per instrument id, for the delivery being applied: its snapshot slot (-1 until a tick of it is applied).
    private readonly int[] _deliveryOf;
    private readonly int[] _slotOf;
    private readonly List<int> _skippedOnly = [];
    private byte[] _payload = new byte[256 * Unsafe.SizeOf<InstrumentSnapshot>()];
    private int _delivery;
    private int _written;
    private DeliveryCounts _counts;

    /// <summary>Creates the empty set for instruments of <paramref name="master"/>.</summary>
    /// <param name="master">The instrument master.</param>
    /// <param name="settings">Pricing and bar settings.</param>
    /// <param name="conflate">Whether a delivery yields one snapshot per instrument (its last) instead of one per tick.</param>
    /// <param name="observer">Told of every applied tick.</param>
    /// <param name="latency">Records each tick's processing time.</param>
    public PartitionInstruments(InstrumentMaster master, InstrumentSettings settings, bool conflate, IPipelineObserver observer, LatencyHistogram latency)
    {
        _master = master;
        _settings = settings;
        _conflate = conflate;
        _observer = observer;
        _latency = latency;
        _states = new InstrumentState?[master.Count];
        _deliveryOf = new int[master.Count];
        _slotOf = new int[master.Count];
    }

    /// <summary>States loaded.</summary>
    public int Count { get; private set; }

    /// <summary>What the current delivery did.</summary>
    public DeliveryCounts Counts => _counts;

    /// <summary>The current delivery's snapshots, packed (valid until the next <see cref="BeginDelivery"/>).</summary>
    public ReadOnlyMemory<byte> Snapshots => _payload.AsMemory(0, _written * SnapshotSize);

    /// <summary>Whether the state of instrument <paramref name="id"/> is loaded.</summary>
    public bool IsLoaded(int id) => _states[id] is not null;

    /// <summary>Loads the state of instrument <paramref name="id"/>, from <paramref name="saved"/> when there is one.</summary>
    public void Load(int id, in InstrumentSnapshot? saved)
    {
        if (_states[id] is not null)
        {
            return;
        }

        var state = new InstrumentState(_master[id], _settings);
        if (saved is { } snapshot)
        {
            state.Restore(in snapshot);
        }

        _states[id] = state;
        Count++;
    }

    /// <summary>Starts a delivery: its snapshots and counts start empty.</summary>
    public void BeginDelivery()
    {
        _delivery++;
        _written = 0;
        _counts = default;
        _skippedOnly.Clear();
    }

    /// <summary>
    /// Applies <paramref name="tick"/> (at <paramref name="position"/>) to loaded instrument <paramref name="id"/>, or
    /// skips it when the state holds that position already (a redelivery), and writes the snapshot.
    /// </summary>
    /// <remarks>Allocates nothing once the snapshot buffer has grown to the largest delivery.</remarks>
    public void Apply(in Tick tick, int id, StreamPosition position, double underlyingPrice, long nowUs)
    {
        var state = _states[id]!;
        var first = _deliveryOf[id] != _delivery;
        if (first)
        {
            _deliveryOf[id] = _delivery;
            _slotOf[id] = -1;
        }

        if (state.HasApplied(position))
        {
            _counts.Redelivered++;
            if (first)
            {
                _skippedOnly.Add(id);
            }

            return;
        }

        var started = Stopwatch.GetTimestamp();
        var status = state.Apply(in tick, position, underlyingPrice, nowUs, ref Slot(id));
        var elapsed = Stopwatch.GetTimestamp() - started;
        _latency.Record((long)(elapsed * NanosecondsPerTimestamp));
        if (state.Instrument.IsOption)
        {
            _counts.OptionTicks++;
            _counts.GreeksComputed += status == IvStatus.Ok ? 1 : 0;
            _counts.IvFailures += status is IvStatus.Ok or IvStatus.None ? 0 : 1;
            _observer.OnOptionTick(elapsed, status, state.LastGreeksElapsed, tick.Mode == TickMode.Full);
        }
        else
        {
            _counts.UnderlyingTicks++;
            _observer.OnUnderlyingTick(elapsed, id, tick.LastPrice);
        }
    }

    /// <summary>
    /// Ends a delivery: an instrument whose ticks were all redelivered ones (a retried delivery whose first write may
    /// have been lost) gets its current state written again, so what it applied reaches the store.
    /// </summary>
    public void EndDelivery()
    {
        foreach (var id in _skippedOnly)
        {
            var state = _states[id]!;
            if (_slotOf[id] < 0 && state.TickCount > 0)
            {
                state.WriteSnapshot(ref Slot(id));
            }
        }
    }

    /// <summary>The instrument's state now, or null when it is not loaded or has no tick yet.</summary>
    public InstrumentSnapshot? SnapshotOf(int id)
    {
        if (_states[id] is not { TickCount: > 0 } state)
        {
            return null;
        }

        var snapshot = default(InstrumentSnapshot);
        state.WriteSnapshot(ref snapshot);
        return snapshot;
    }

    /// <summary>The slot the instrument's next snapshot of this delivery goes to (its one slot when conflating).</summary>
    private ref InstrumentSnapshot Slot(int id)
    {
        if (_conflate && _slotOf[id] >= 0)
        {
            return ref MemoryMarshal.Cast<byte, InstrumentSnapshot>(_payload.AsSpan())[_slotOf[id]];
        }

        if ((_written + 1) * SnapshotSize > _payload.Length)
        {
            Array.Resize(ref _payload, _payload.Length * 2);
        }

        _slotOf[id] = _written;
        return ref MemoryMarshal.Cast<byte, InstrumentSnapshot>(_payload.AsSpan())[_written++];
    }

    /// <summary>What one delivery did.</summary>
    public struct DeliveryCounts
    {
        /// <summary>Option ticks applied.</summary>
        public int OptionTicks;

        /// <summary>Underlying and future ticks applied.</summary>
        public int UnderlyingTicks;

        /// <summary>Redelivered ticks skipped (at or before their instrument's stream position).</summary>
        public int Redelivered;

        /// <summary>Option ticks whose IV solve succeeded.</summary>
        public int GreeksComputed;

        /// <summary>Option ticks whose IV is undefined (counted, never a NaN).</summary>
        public int IvFailures;
    }
}
