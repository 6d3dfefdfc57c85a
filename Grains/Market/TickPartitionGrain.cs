using Microsoft.Extensions.DependencyInjection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Orleans.Placement;
using Orleans.Streams;
using Orleans.Streams.Core;
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
/// cluster, on the silo whose pulling agent reads the partition's queue). For each delivered batch it keeps the
/// underlyings' spot, validates every tick, groups the ticks by instrument and calls each instrument grain once with
/// all of its ticks, then hands every snapshot produced to the silo's batcher in one call and completes the delivery
/// only when they are written. A delivery carries as many events as the pulling agent has queued for the partition
/// (up to <c>StreamPullingAgentOptions.BatchContainerBatchSize</c>), so under load each instrument call carries more ticks.
/// </summary>
[ImplicitStreamSubscription(ITickPartitionGrain.StreamNamespace)]
[PreferLocalPlacement] // activated by the first delivery: on the silo whose pulling agent reads the queue
public sealed partial class TickPartitionGrain : Grain, ITickPartitionGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<TickBatch>
{
    private static readonly int RoutedTickSize = Unsafe.SizeOf<RoutedTick>();

    private readonly InstrumentMaster _master;
    private readonly TickValidator _validator;
    private readonly ShardMap _map;
    private readonly IPipelineObserver _observer;
    private readonly SiloStatistics _statistics;
    private readonly ISnapshotReader _snapshots;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly UnderlyingPrices _spots;
    private readonly SiloAddress _silo;
    private readonly IPartitionLocality? _locality;
    private readonly int[] _reasonCounts = new int[TickValidator.ReasonCount];
    private readonly Dictionary<uint, int> _groupOf = [];
    private readonly List<Group> _groups = [];
    private readonly List<Group> _groupPool = [];
    private RoutedTick[] _routedTicks = new RoutedTick[1024];
    private int[] _routedGroup = new int[1024];
    private int _routed;
    private byte[] _payload = new byte[1024 * 416];
    private int _groupsUsed;
    private Tick[] _strictScratch = [];
    private ShardStatistics _shard = null!;
    private int _partition;
    private bool _leaving;
    private long _batches;

    /// <summary>Creates the grain (Orleans does, with the silo's services).</summary>
    public TickPartitionGrain(
        InstrumentMaster master,
        TickValidator validator,
        ShardMap map,
        IPipelineObserver observer,
        SiloStatistics statistics,
        ISnapshotReader snapshots,
        TimeProvider time,
        ILocalSiloDetails silo,
        IServiceProvider services,
        ILogger<TickPartitionGrain> logger)
    {
        _silo = silo.SiloAddress;
        _locality = services.GetService<IPartitionLocality>();
        _master = master;
        _validator = validator;
        _map = map;
        _observer = observer;
        _statistics = statistics;
        _snapshots = snapshots;
        _time = time;
        _logger = logger;
        _spots = new UnderlyingPrices(master.Count);
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
    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        handleFactory.Create<TickBatch>().ResumeAsync(this);

    /// <inheritdoc />
    public Task<long> GetBatchesAsync() => Task.FromResult(_batches);

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
        var nowUs = _time.MicrosecondsNow();
        _groupOf.Clear();
        _groups.Clear();
        _groupsUsed = 0;
        _routed = 0;
        var delivered = 0;
        foreach (var item in items)
        {
            _batches++;
            _shard.EntriesRead++;
            if (!item.Item.IsWellFormed)
            {
                // Not this build's tick layout (a producer of another version) or a cut payload: count it and go on.
                _shard.ProcessingErrors++;
                _observer.OnProcessingError(ProcessingError.Decode);
                LogMalformed(_logger, _partition, item.Item.Payload.Length, item.Item.TickSize);
                continue;
            }

            var token = item.Token;
            var entry = token is null ? default : new StreamEntryId(token.SequenceNumber, token.EventIndex);
            delivered += Route(item.Item.Ticks, entry, nowUs);
        }

        ReportInvalid();
        if (_groups.Count > 0)
        {
            var snapshots = await ApplyAsync();
            if (snapshots.Length > 0)
            {
                await GrainFactory.GetGrain<ISnapshotBatcherGrain>(0).AddAsync(new SnapshotSet(snapshots));
            }
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
    /// Calls every instrument grain of the delivery once, with all of its ticks, and gathers their snapshots. The
    /// ticks are laid out by instrument in one buffer that each call gets a slice of: the calls are local (the grains
    /// live beside their partition) and all complete before the next delivery reuses the buffer; a remote call
    /// serializes just its slice when it is sent.
    /// </summary>
    private async Task<ReadOnlyMemory<byte>[]> ApplyAsync()
    {
        var start = 0;
        for (var g = 0; g < _groups.Count; g++)
        {
            var group = _groups[g];
            group.Start = start;
            start += group.Count;
            group.Count = 0;
        }

        if (_payload.Length < start * RoutedTickSize)
        {
            _payload = new byte[Math.Max(start * RoutedTickSize, _payload.Length * 2)];
        }

        var laidOut = MemoryMarshal.Cast<byte, RoutedTick>(_payload.AsSpan());
        for (var r = 0; r < _routed; r++)
        {
            var group = _groups[_routedGroup[r]];
            laidOut[group.Start + group.Count++] = _routedTicks[r];
        }

        var calls = new Task<ApplyResult>[_groups.Count];
        for (var g = 0; g < calls.Length; g++)
        {
            var group = _groups[g];
            var slice = _payload.AsMemory(group.Start * RoutedTickSize, group.Count * RoutedTickSize);
            calls[g] = GrainFactory.GetGrain<IInstrumentGrain>(group.Token).ApplyAsync(new InstrumentTicks(slice, _silo));
        }

        try
        {
            await Task.WhenAll(calls);
        }
        catch
        {
            // Some instrument grain failed (its silo died, a timeout): the others have applied their ticks, so their
            // snapshots are written first; then the delivery fails and is retried, and the grains that applied
            // recognise the redelivered ticks and answer with their current snapshot.
            var written = Collect(calls);
            if (written.Length > 0)
            {
                await GrainFactory.GetGrain<ISnapshotBatcherGrain>(0).AddAsync(new SnapshotSet(written));
            }

            throw;
        }

        return Collect(calls);
    }

    /// <summary>
    /// Validates one event's ticks and files each under its instrument, with its position and the spot of its moment.
    /// </summary>
    /// <returns>How many of the event's ticks this partition owns (delivered once the delivery completes).</returns>
    /// <remarks>Allocates nothing per tick (the routing buffers grow to the largest delivery and are reused).</remarks>
    private int Route(ReadOnlySpan<Tick> ticks, StreamEntryId entry, long nowUs)
    {
        var nowSeconds = nowUs / 1_000_000;
        var owned = OwnedCount(ticks, nowSeconds);
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

            if (!_groupOf.TryGetValue(tick.InstrumentToken, out var group))
            {
                group = _groups.Count;
                _groupOf.Add(tick.InstrumentToken, group);
                _groups.Add(RentGroup(tick.InstrumentToken));
            }

            if (_routed == _routedTicks.Length)
            {
                Array.Resize(ref _routedTicks, _routedTicks.Length * 2);
                Array.Resize(ref _routedGroup, _routedTicks.Length);
            }

            ref var routed = ref _routedTicks[_routed];
            routed.Tick = tick;
            routed.Position = new StreamPosition(entry, i);
            routed.UnderlyingPrice = kind is InstrumentKind.Call or InstrumentKind.Put ? _spots.Get(_master.UnderlyingIdOf(id)) : 0;
            _routedGroup[_routed++] = group;
            _groups[group].Count++;
        }

        return owned;
    }

    /// <summary>
    /// Takes the broadcast copies of other partitions' underlyings off the tail (they only move the spot, oldest
    /// first so the newest is left) and returns how many ticks at the front this partition owns.
    /// </summary>
    private int OwnedCount(ReadOnlySpan<Tick> ticks, long nowSeconds)
    {
        var owned = ticks.Length;
        while (owned > 0 && _map.ShardOf(ticks[owned - 1].InstrumentToken) != _partition)
        {
            owned--;
        }

        for (var i = owned; i < ticks.Length; i++)
        {
            ref readonly var tick = ref ticks[i];
            if (tick.LastPrice > 0 && _validator.Validate(in tick, nowSeconds) == TickValidationReason.Valid
                && _master.TryGetId(tick.InstrumentToken, out var id))
            {
                _spots.Set(id, tick.LastPrice);
            }
        }

        return owned;
    }

    private bool RejectedByStrictValidation(ReadOnlySpan<Tick> ticks, long nowSeconds)
    {
        if (_validator.Mode != ValidationMode.Strict)
        {
            return false;
        }

        if (_strictScratch.Length < ticks.Length)
        {
            _strictScratch = new Tick[ticks.Length];
        }

        ticks.CopyTo(_strictScratch);
        var result = _validator.ValidateBatch(_strictScratch.AsSpan(0, ticks.Length), nowSeconds, _reasonCounts);
        ReportInvalid();
        if (!result.Rejected)
        {
            return false;
        }

        _shard.InvalidTicks += result.InvalidCount;
        _observer.OnBatchRejected();
        return true;
    }

    private ReadOnlyMemory<byte>[] Collect(Task<ApplyResult>[] calls)
    {
        var parts = new List<ReadOnlyMemory<byte>>(calls.Length);
        foreach (var call in calls)
        {
            if (!call.IsCompletedSuccessfully)
            {
                continue;
            }

            var result = call.Result;
            _shard.DuplicateTicks += result.Duplicates;
            _shard.ProcessingErrors += result.Rejected;
            _shard.GreeksComputed += result.GreeksComputed;
            _shard.IvFailures += result.IvFailures;
            if (result.Kind is InstrumentKind.Call or InstrumentKind.Put)
            {
                _shard.OptionTicks += result.Applied;
            }
            else
            {
                _shard.UnderlyingTicks += result.Applied;
            }

            if (result.IsWellFormed && result.Snapshots.Length > 0)
            {
                parts.Add(result.Snapshots);
            }
        }

        return [.. parts];
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: a malformed tick batch ({Bytes} bytes, tick size {TickSize}) was counted and skipped")]
    private static partial void LogMalformed(ILogger logger, int partition, int bytes, int tickSize);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tick stream {Key} is outside the {Partitions} partitions this silo is configured for; it is consumed as partition key mod {Partitions}")]
    private static partial void LogPartitionOutOfRange(ILogger logger, long key, int partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: stream error: {Reason}")]
    private static partial void LogStreamError(ILogger logger, int partition, string reason);

    /// <summary>A group object for <paramref name="token"/>, reused across deliveries.</summary>
    private Group RentGroup(uint token)
    {
        if (_groupsUsed == _groupPool.Count)
        {
            _groupPool.Add(new Group());
        }

        var group = _groupPool[_groupsUsed++];
        group.Token = token;
        group.Count = 0;
        return group;
    }

    /// <summary>One instrument's ticks of the delivery being routed.</summary>
    private sealed class Group
    {
        public uint Token { get; set; }

        public int Count { get; set; }

        public int Start { get; set; }
    }
}
