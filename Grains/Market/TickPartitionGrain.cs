using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using Orleans.Streams;
using Orleans.Streams.Core;
using Ticker.Grains.Batching;
using Ticker.Grains.Diagnostics;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Batching;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Market;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Grains.Streams;
using Ticker.Grains.Validation;
using StreamPosition = Ticker.Grains.Interfaces.Streams.StreamPosition;

namespace Ticker.Grains.Market;

/// <summary>
/// The consumer of one partition of the tick stream, subscribed implicitly (one activation per partition in the
/// cluster, on the silo whose pulling agent reads the partition's queue), and the owner of its instruments' state
/// (<see cref="PartitionInstruments"/>). For each delivered batch it keeps the underlyings' spot, validates every
/// tick and applies it to its instrument's state in place, then hands the delivery's snapshots to the silo's batcher
/// in one call and completes the delivery only when they are written. No grain call per instrument: a delivery of
/// thousands of ticks is one turn of this grain and one batcher call. A delivery carries as many events as the
/// pulling agent has queued for the partition (up to <c>StreamPullingAgentOptions.BatchContainerBatchSize</c>).
/// </summary>
/// <remarks>
/// An instrument's state is loaded from its last snapshot the first time a delivery (or a read) needs it in this
/// activation, all of a delivery's new instruments in one read; ticks at or before its stream position are skipped as
/// redeliveries. When the partition's queue moves to another silo the activation leaves, and the next one loads the
/// states from the snapshots the last deliveries wrote before they completed.
/// </remarks>
[ImplicitStreamSubscription(ITickPartitionGrain.StreamNamespace)]
[PreferLocalPlacement] // activated by the first delivery: on the silo whose pulling agent reads the queue
public sealed partial class TickPartitionGrain : Grain, ITickPartitionGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<TickBatch>
{
    private readonly InstrumentMaster _master;
    private readonly InstrumentSettings _settings;
    private readonly bool _conflate;
    private readonly TickValidator _validator;
    private readonly ShardMap _map;
    private readonly IPipelineObserver _observer;
    private readonly SiloStatistics _statistics;
    private readonly ISnapshotReader _snapshots;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly UnderlyingPrices _spots;
    private readonly IPartitionLocality? _locality;
    private readonly int[] _reasonCounts = new int[TickValidator.ReasonCount];
    private readonly List<uint> _missingTokens = [];
    private readonly List<int> _missingIds = [];
    private readonly bool[] _requested;
    private PartitionInstruments _instruments = null!;
    private readonly List<DeliveredEvent> _events = [];
    private Tick[] _ticks = [];
    private ShardStatistics _shard = null!;
    private int _partition;
    private bool _leaving;
    private long _batches;

    /// <summary>Creates the grain (Orleans does, with the silo's services).</summary>
    public TickPartitionGrain(
        InstrumentMaster master,
        InstrumentSettings settings,
        IOptions<BatchingOptions> batching,
        TickValidator validator,
        ShardMap map,
        IPipelineObserver observer,
        SiloStatistics statistics,
        ISnapshotReader snapshots,
        TimeProvider time,
        IServiceProvider services,
        ILogger<TickPartitionGrain> logger)
    {
        _locality = services.GetService<IPartitionLocality>();
        _master = master;
        _settings = settings;
        _conflate = batching.Value.Conflate;
        _validator = validator;
        _map = map;
        _observer = observer;
        _statistics = statistics;
        _snapshots = snapshots;
        _time = time;
        _logger = logger;
        _spots = new UnderlyingPrices(master.Count);
        _requested = new bool[master.Count];
    }

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyLong();
        _partition = (int)(key % _map.ShardCount);
        if (key != _partition)
        {
            LogPartitionOutOfRange(_logger, key, _map.ShardCount);
        }

        _shard = _statistics.Shards[_partition];
        _instruments = new PartitionInstruments(_master, _settings, _conflate, _observer, _statistics.SiloWide.ProcessingLatency);

        // Options are priced off the underlyings' last prices: start from the snapshots so the first option tick after
        // a restart or a move to another silo already has a spot.
        var underlyings = new uint[_master.Underlyings.Count];
        for (var i = 0; i < underlyings.Length; i++)
        {
            underlyings[i] = _master.Underlyings[i].InstrumentToken;
        }

        foreach (var snapshot in await _snapshots.GetManyAsync(underlyings, cancellationToken))
        {
            if (snapshot.Kind == InstrumentKind.Underlying && _master.TryGetId(snapshot.InstrumentToken, out var id))
            {
                _spots.Set(id, snapshot.LastPrice);
            }
        }
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Null when the activation failed before its states were set up (e.g. Redis down while reading the spots).
        var loaded = _instruments?.Count ?? 0;
        _statistics.OnInstrumentsLoaded(-loaded);
        _observer.OnDeactivated(loaded);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        handleFactory.Create<TickBatch>().ResumeAsync(this);

    /// <inheritdoc />
    public Task<long> GetBatchesAsync() => Task.FromResult(_batches);

    /// <inheritdoc />
    public async Task<InstrumentSnapshot?> GetSnapshotAsync(uint instrumentToken)
    {
        if (!_master.TryGetId(instrumentToken, out var id))
        {
            return null;
        }

        if (!_instruments.IsLoaded(id))
        {
            _instruments.Load(id, await _snapshots.GetAsync(instrumentToken, CancellationToken.None));
            _statistics.OnInstrumentsLoaded(1);
        }

        return _instruments.SnapshotOf(id);
    }

    /// <summary>
    /// Leaves this silo (after the current delivery) when another silo's agent reads the partition's queue: its next
    /// delivery activates the consumer there, with the underlyings' spots restored from their snapshots.
    /// </summary>
    private void FollowQueue()
    {
        if (!_leaving && _locality is { } locality && !locality.IsReadHere(_partition))
        {
            _leaving = true;
            DeactivateOnIdle();
        }
    }

    /// <summary>
    /// One delivery: the events the pulling agent had for this partition, up to its batch size (one at low load, many
    /// at high load, so the calls per instrument fall as the load rises).
    /// </summary>
    public async Task OnNextAsync(IList<SequentialItem<TickBatch>> items)
    {
        FollowQueue();
        Unpack(items);
        if (CollectUnloaded())
        {
            await LoadAsync();
        }

        var nowUs = _time.MicrosecondsNow();
        _instruments.BeginDelivery();
        var delivered = 0;
        foreach (var delivery in _events)
        {
            delivered += Apply(_ticks.AsSpan(delivery.Start, delivery.Count), delivery.Entry, nowUs);
        }

        _instruments.EndDelivery();
        ReportInvalid();
        Count(_instruments.Counts);
        var snapshots = _instruments.Snapshots;
        if (!snapshots.IsEmpty)
        {
            await GrainFactory.GetGrain<ISnapshotBatcherGrain>(0).AddAsync(new SnapshotSet([snapshots]));
        }

        _shard.DeliveredTicks += delivered;
        _shard.EntriesDelivered += items.Count;
    }

    /// <inheritdoc />
    public Task OnCompletedAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(_logger, _partition, ex.Message);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Unpacks the delivery's events into <see cref="_ticks"/>, one range per event in <see cref="_events"/>; a malformed
    /// event (another build's tick layout, a cut payload) is counted and left out.
    /// </summary>
    private void Unpack(IList<SequentialItem<TickBatch>> items)
    {
        _events.Clear();
        var used = 0;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            _batches++;
            _shard.EntriesRead++;
            if (!item.Item.TryCount(out var count))
            {
                _shard.ProcessingErrors++;
                _observer.OnProcessingError(ProcessingError.Decode);
                LogMalformed(_logger, _partition, item.Item.Payload.Length, item.Item.TickSize);
                continue;
            }

            if (_ticks.Length - used < count)
            {
                Array.Resize(ref _ticks, Math.Max(_ticks.Length * 2, used + count));
            }

            item.Item.CopyTo(_ticks.AsSpan(used, count));
            var token = item.Token;
            _events.Add(new DeliveredEvent(used, count, token is null ? default : new StreamEntryId(token.SequenceNumber, token.EventIndex)));
            used += count;
        }
    }

    /// <summary>
    /// Notes the instruments of the delivery's owned ticks whose state is not loaded yet; returns whether there are any.
    /// </summary>
    private bool CollectUnloaded()
    {
        _missingTokens.Clear();
        _missingIds.Clear();
        foreach (var delivery in _events)
        {
            ReadOnlySpan<Tick> ticks = _ticks.AsSpan(delivery.Start, delivery.Count);
            var owned = OwnedPrefix(ticks);
            for (var i = 0; i < owned; i++)
            {
                var token = ticks[i].InstrumentToken;
                if (_master.TryGetId(token, out var id) && !_instruments.IsLoaded(id) && !_requested[id])
                {
                    _requested[id] = true;
                    _missingTokens.Add(token);
                    _missingIds.Add(id);
                }
            }
        }

        return _missingIds.Count > 0;
    }

    /// <summary>Loads the noted instruments' states from their last snapshots, in one read.</summary>
    private async Task LoadAsync()
    {
        try
        {
            foreach (var saved in await _snapshots.GetManyAsync(_missingTokens, CancellationToken.None))
            {
                if (_master.TryGetId(saved.InstrumentToken, out var id))
                {
                    _instruments.Load(id, saved);
                }
            }

            foreach (var id in _missingIds)
            {
                _instruments.Load(id, null);
            }

            _statistics.OnInstrumentsLoaded(_missingIds.Count);
        }
        finally
        {
            foreach (var id in _missingIds)
            {
                _requested[id] = false;
            }
        }
    }

    /// <summary>
    /// Validates one event's ticks and applies each to its instrument's state, with its position and the spot of its
    /// moment.
    /// </summary>
    /// <returns>How many of the event's ticks this partition owns (delivered once the delivery completes).</returns>
    /// <remarks>Allocates nothing per tick.</remarks>
    private int Apply(Span<Tick> ticks, StreamEntryId entry, long nowUs)
    {
        var nowSeconds = nowUs / 1_000_000;
        var owned = OwnedPrefix(ticks);
        UpdateSpotsFromBroadcasts(ticks[owned..], nowSeconds);
        if (owned == 0 || RejectedByStrictValidation(ticks[..owned], nowSeconds))
        {
            return owned;
        }

        var lenient = _validator.Mode == ValidationMode.Lenient;
        for (var i = 0; i < owned; i++)
        {
            ref readonly var tick = ref ticks[i];
            if (lenient)
            {
                var reason = _validator.Validate(in tick, nowSeconds);
                if (reason != TickValidationReason.Valid)
                {
                    _shard.InvalidTicks++;
                    _reasonCounts[(int)reason]++;
                    continue;
                }
            }

            if (!_master.TryGetId(tick.InstrumentToken, out var id))
            {
                // Only reachable with validation off: an unknown token cannot be applied.
                _shard.ProcessingErrors++;
                _observer.OnProcessingError(ProcessingError.UnknownInstrument);
                continue;
            }

            var kind = _master[id].Kind;
            if (kind == InstrumentKind.Underlying)
            {
                _spots.Set(id, tick.LastPrice);
            }

            var underlyingPrice = kind is InstrumentKind.Call or InstrumentKind.Put ? _spots.Get(_master.UnderlyingIdOf(id)) : 0;
            _instruments.Apply(in tick, id, new StreamPosition(entry, i), underlyingPrice, nowUs);
        }

        return owned;
    }

    /// <summary>
    /// How many ticks at the front this partition owns: the producer appends copies of other partitions' underlyings
    /// at the tail, which only move the spot.
    /// </summary>
    private int OwnedPrefix(ReadOnlySpan<Tick> ticks)
    {
        var owned = ticks.Length;
        while (owned > 0 && _map.ShardOf(ticks[owned - 1].InstrumentToken) != _partition)
        {
            owned--;
        }

        return owned;
    }

    /// <summary>Moves the spots by the broadcast copies of other partitions' underlyings (oldest first, so the newest is left).</summary>
    private void UpdateSpotsFromBroadcasts(ReadOnlySpan<Tick> broadcasts, long nowSeconds)
    {
        foreach (ref readonly var tick in broadcasts)
        {
            if (tick.LastPrice > 0 && _validator.Validate(in tick, nowSeconds) == TickValidationReason.Valid
                && _master.TryGetId(tick.InstrumentToken, out var id))
            {
                _spots.Set(id, tick.LastPrice);
            }
        }
    }

    /// <summary>Strict validation of the event's owned ticks (in the delivery's own buffer; strict mode never changes them).</summary>
    private bool RejectedByStrictValidation(Span<Tick> ticks, long nowSeconds)
    {
        if (_validator.Mode != ValidationMode.Strict)
        {
            return false;
        }

        var result = _validator.ValidateBatch(ticks, nowSeconds, _reasonCounts);
        ReportInvalid();
        if (!result.Rejected)
        {
            return false;
        }

        _shard.InvalidTicks += result.InvalidCount;
        _observer.OnBatchRejected();
        return true;
    }

    private void Count(PartitionInstruments.DeliveryCounts counts)
    {
        _shard.OptionTicks += counts.OptionTicks;
        _shard.UnderlyingTicks += counts.UnderlyingTicks;
        _shard.RedeliveredTicks += counts.Redelivered;
        if (counts.Redelivered != 0)
        {
            _observer.OnRedeliveredTicks(counts.Redelivered);
        }

        _shard.GreeksComputed += counts.GreeksComputed;
        _shard.IvFailures += counts.IvFailures;
    }

    private void ReportInvalid()
    {
        for (var reason = 1; reason < _reasonCounts.Length; reason++)
        {
            if (_reasonCounts[reason] != 0)
            {
                _observer.OnInvalidTicks((TickValidationReason)reason, _reasonCounts[reason]);
                _reasonCounts[reason] = 0;
            }
        }
    }

    /// <summary>One event of a delivery: its ticks' range in <see cref="_ticks"/> and its stream entry.</summary>
    private readonly record struct DeliveredEvent(int Start, int Count, StreamEntryId Entry);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: a malformed tick batch ({Bytes} bytes, tick size {TickSize}) was counted and skipped")]
    private static partial void LogMalformed(ILogger logger, int partition, int bytes, int tickSize);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tick stream {Key} is outside the {Partitions} partitions this silo is configured for; it is consumed as partition key mod {Partitions}")]
    private static partial void LogPartitionOutOfRange(ILogger logger, long key, int partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: stream error: {Reason}")]
    private static partial void LogStreamError(ILogger logger, int partition, string reason);
}
