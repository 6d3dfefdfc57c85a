using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using Orleans.Runtime.Placement;
using Ticker.Grains.Batching;
using Ticker.Grains.Diagnostics;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Market;
using Ticker.Grains.Interfaces.Pricing;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Grains.Market;

/// <summary>
/// The grain of one instrument (key = token): a thin host around <see cref="InstrumentState"/>. It activates on the
/// silo of its first caller (the partition consumer that owns its token), restores its last snapshot, applies each
/// delivery's ticks in order, skips redeliveries by stream position, and returns the snapshots to publish.
/// </summary>
[PreferLocalPlacement]
public sealed class InstrumentGrain : Grain, IInstrumentGrain
{
    private static readonly int SnapshotSize = Unsafe.SizeOf<InstrumentSnapshot>();
    private static readonly double NanosecondsPerTimestamp = 1e9 / Stopwatch.Frequency;

    private readonly InstrumentMaster _master;
    private readonly InstrumentSettings _settings;
    private readonly ISnapshotReader _snapshots;
    private readonly IPipelineObserver _observer;
    private readonly SiloStatistics _statistics;
    private readonly TimeProvider _time;
    private readonly LatencyHistogram _latency;
    private readonly bool _conflate;
    private readonly SiloAddress _silo;
    private InstrumentState? _state;
    private int _instrumentId;
    private bool _moving;

    /// <summary>Creates the grain (Orleans does, with the silo's services).</summary>
    public InstrumentGrain(
        InstrumentMaster master,
        InstrumentSettings settings,
        ISnapshotReader snapshots,
        IPipelineObserver observer,
        SiloStatistics statistics,
        IOptions<BatchingOptions> batching,
        TimeProvider time,
        ILocalSiloDetails silo)
    {
        _silo = silo.SiloAddress;
        _master = master;
        _settings = settings;
        _snapshots = snapshots;
        _observer = observer;
        _statistics = statistics;
        _latency = statistics.SiloWide.ProcessingLatency;
        _time = time;
        _conflate = batching.Value.Conflate;
    }

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var token = (uint)this.GetPrimaryKeyLong();
        if (_master.TryGetId(token, out _instrumentId))
        {
            _state = new InstrumentState(_master[_instrumentId], _settings);
            if (await _snapshots.GetAsync(token, cancellationToken) is { } saved)
            {
                // Orleans' persisted state, in effect: tick counts carry on and redelivered ticks are recognised.
                _state.Restore(in saved);
            }
        }

        _statistics.OnGrainsActivated(1);
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _statistics.OnGrainsActivated(-1);
        _observer.OnDeactivated(1);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>Allocates the snapshot payload once per call; nothing per tick.</remarks>
    public Task<ApplyResult> ApplyAsync(InstrumentTicks ticks)
    {
        if (_state is null || !ticks.IsWellFormed)
        {
            return Task.FromResult(new ApplyResult { Rejected = ticks.Payload.Length / Math.Max(1, ticks.TickSize) });
        }

        var routed = ticks.Ticks;
        var payload = new byte[(_conflate ? 1 : routed.Length) * SnapshotSize];
        var snapshots = MemoryMarshal.Cast<byte, InstrumentSnapshot>(payload.AsSpan());
        var nowUs = _time.MicrosecondsNow();
        var option = _state.Instrument.IsOption;
        var token = _state.Instrument.InstrumentToken;
        int written = 0, duplicates = 0, greeks = 0, ivFailures = 0, foreign = 0;
        foreach (ref readonly var tick in routed)
        {
            if (tick.Tick.InstrumentToken != token)
            {
                // Never expected (the consumer routes by token); a guard against a payload that is not ours.
                foreign++;
                continue;
            }

            if (_state.HasApplied(tick.Position))
            {
                // Redelivered after a crash or a takeover: its effect is already in this state.
                duplicates++;
                continue;
            }

            var started = Stopwatch.GetTimestamp();
            ref var slot = ref snapshots[_conflate ? 0 : written];
            var status = _state.Apply(in tick.Tick, tick.Position, tick.UnderlyingPrice, nowUs, ref slot);
            var elapsed = Stopwatch.GetTimestamp() - started;
            _latency.Record((long)(elapsed * NanosecondsPerTimestamp));
            written = _conflate ? 1 : written + 1;
            if (option)
            {
                greeks += status == IvStatus.Ok ? 1 : 0;
                ivFailures += status is IvStatus.Ok or IvStatus.None ? 0 : 1;
                _observer.OnOptionTick(elapsed, status, _state.LastGreeksElapsed, tick.Tick.Mode == TickMode.Full);
            }
            else
            {
                _observer.OnUnderlyingTick(elapsed, _instrumentId, tick.Tick.LastPrice);
            }
        }

        if (written == 0 && duplicates > 0 && _state.TickCount > 0)
        {
            // Only redelivered ticks (a retried delivery whose first reply or write was lost): the current state goes
            // out again, so what was applied reaches the store even if its first snapshot never did.
            _state.WriteSnapshot(ref snapshots[0]);
            written = 1;
        }

        FollowConsumer(ticks.Consumer);
        return Task.FromResult(new ApplyResult
        {
            Snapshots = payload.AsMemory(0, written * SnapshotSize),
            Kind = _state.Instrument.Kind,
            Applied = routed.Length - duplicates - foreign,
            Duplicates = duplicates,
            Rejected = foreign,
            GreeksComputed = greeks,
            IvFailures = ivFailures,
        });
    }

    /// <summary>
    /// Moves this activation to its partition consumer's silo when they differ (the queue moved to another silo after
    /// a join or leave), once this call is done. The new activation restores the snapshot the consumer writes before
    /// its next call, so nothing is lost; every later call is local again.
    /// </summary>
    private void FollowConsumer(SiloAddress? consumer)
    {
        if (_moving || consumer is null || consumer.Equals(_silo))
        {
            return;
        }

        _moving = true;
        RequestContext.Set(IPlacementDirector.PlacementHintKey, consumer);
        this.MigrateOnIdle();
        RequestContext.Remove(IPlacementDirector.PlacementHintKey);
    }

    /// <inheritdoc />
    public Task<InstrumentSnapshot?> GetSnapshotAsync()
    {
        if (_state is null || _state.TickCount == 0)
        {
            return Task.FromResult<InstrumentSnapshot?>(null);
        }

        var snapshot = default(InstrumentSnapshot);
        _state.WriteSnapshot(ref snapshot);
        return Task.FromResult<InstrumentSnapshot?>(snapshot);
    }
}
