using Ticker.Grains.Diagnostics;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Ticker.Grains.Batching;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Pricing;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Grains.Market;
using Ticker.Grains.Streams;
using Ticker.Grains.Validation;
using Ticker.Silo.Diagnostics;

namespace Ticker.Silo.Hosting;

/// <summary>
/// The single reader of one shard: reads entries, validates their ticks, applies them to the grains it owns (so no
/// grain needs a lock), batches the snapshots, and hands flushed batches to its flusher, which writes them to the sink
/// and only then acknowledges the entries. A full flush queue stops the reading (back-pressure).
/// </summary>
public sealed partial class ShardWorker
{
    private static readonly TimeSpan HousekeepingWait = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan BusyFlusherWait = TimeSpan.FromMilliseconds(1);

    private readonly int _shard;
    private readonly ITickStreamReader _reader;
    private readonly ISnapshotSink _sink;
    private readonly ISnapshotReader _snapshots;
    private readonly InstrumentMaster _master;
    private readonly TickValidator _validator;
    private readonly ShardMap _map;
    private readonly TickBatcher _batcher;
    private readonly ShardContext _context;
    private readonly GrainDirectory _grains;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ShardStatistics _stats;
    private readonly IPipelineObserver _observer;
    private readonly Channel<SnapshotBatch> _flushQueue;
    private readonly int[] _reasonCounts = new int[Enum.GetValues<TickValidationReason>().Length];
    private readonly long _idleDeactivationUs;
    private readonly bool _idleFlush;
    private int _inFlight;
    private long _nextSweepUs;
    private CancellationTokenSource? _hardStop;

    /// <summary>Creates the worker of <paramref name="reader"/>'s shard.</summary>
    public ShardWorker(
        ITickStreamReader reader,
        ISnapshotSink sink,
        ISnapshotReader snapshots,
        InstrumentMaster master,
        TickValidator validator,
        ShardMap map,
        BatchingOptions batching,
        GrainOptions grainOptions,
        GreeksOptions greeks,
        TimeProvider time,
        ILogger logger,
        ShardStatistics stats,
        IPipelineObserver observer,
        SiloStatistics? silo = null)
    {
        _shard = reader.Shard;
        _reader = reader;
        _sink = sink;
        _snapshots = snapshots;
        _master = master;
        _validator = validator;
        _map = map;
        _batcher = new TickBatcher(batching);
        _context = new ShardContext(_shard, master, new InstrumentSettings(greeks, grainOptions));
        _grains = new GrainDirectory(master, _context, silo);
        _time = time;
        _logger = logger;
        _stats = stats;
        _observer = observer;
        _idleFlush = batching.IdleFlush;
        _idleDeactivationUs = (long)grainOptions.IdleDeactivation.TotalMicroseconds;
        _flushQueue = Channel.CreateBounded<SnapshotBatch>(new BoundedChannelOptions(batching.MaxPendingBatches)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The shard.</summary>
    public int Shard => _shard;

    /// <summary>The shard's grains.</summary>
    public GrainDirectory Grains => _grains;

    /// <summary>Snapshots waiting in the batcher.</summary>
    public int PendingSnapshots => _batcher.PendingCount;

    /// <summary>Batches flushed but not yet written and acknowledged.</summary>
    public int PendingBatches => Volatile.Read(ref _inFlight);

    /// <summary>
    /// Runs until <paramref name="stopping"/> fires, then flushes what is pending and waits up to
    /// <paramref name="drainTimeout"/> for the flusher to write and acknowledge it.
    /// </summary>
    public async Task RunAsync(TimeSpan drainTimeout, CancellationToken stopping)
    {
        using var hardStop = new CancellationTokenSource();
        _hardStop = hardStop;
        var flusher = Task.Run(() => FlushLoopAsync(hardStop.Token), CancellationToken.None);
        try
        {
            await RestoreAsync(stopping).ConfigureAwait(false);
            await ReadLoopAsync(stopping).ConfigureAwait(false);
            await DrainAsync(Stopwatch.GetTimestamp() + (long)(drainTimeout.TotalSeconds / 2 * Stopwatch.Frequency), stopping).ConfigureAwait(false);
            if (_batcher.HasPending)
            {
                await EnqueueFlushAsync(FlushReason.Shutdown).ConfigureAwait(false);
            }
        }
        finally
        {
            _flushQueue.Writer.TryComplete();
            hardStop.CancelAfter(drainTimeout);
            try
            {
                await flusher.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                LogDrainTimedOut(_logger, _shard, drainTimeout.TotalSeconds);
            }
        }
    }

    /// <summary>
    /// Gives the shard up at once, without writing what is pending (its lease was lost: another silo may own it now,
    /// and will redeliver what this one did not acknowledge). Call after cancelling the run's token.
    /// </summary>
    public void Abandon()
    {
        try
        {
            _hardStop?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already finished.
        }
    }

    private async Task ReadLoopAsync(CancellationToken stopping)
    {
        var readFailures = 0;
        while (!stopping.IsCancellationRequested)
        {
            if (_batcher.HasPending && _idleFlush && Volatile.Read(ref _inFlight) == 0 && !_reader.HasBuffered)
            {
                // The input is idle and the flusher free: flush now rather than ask the stream again to find out.
                await EnqueueFlushAsync(FlushReason.Idle).ConfigureAwait(false);
            }

            var wait = !_batcher.HasPending ? HousekeepingWait
                : _idleFlush && Volatile.Read(ref _inFlight) == 0 ? TimeSpan.Zero
                : BusyFlusherWait;
            TickStreamEntry? entry;
            try
            {
                entry = await _reader.ReadAsync(wait, stopping).ConfigureAwait(false);
                readFailures = 0;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                readFailures++;
                _observer.OnReadError();
                LogReadFailed(_logger, _shard, readFailures, ex.Message);
                await DelayAsync(readFailures, stopping).ConfigureAwait(false);
                continue;
            }

            if (entry is null)
            {
                await OnIdleAsync().ConfigureAwait(false);
                continue;
            }

            await ApplyEntryAsync(entry).ConfigureAwait(false);
            if (_batcher.WindowElapsed(Stopwatch.GetTimestamp()))
            {
                await EnqueueFlushAsync(FlushReason.Window).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// At shutdown, applies the entries the reader already holds in memory (the embedded stream would lose them). It
    /// reads with the cancelled stopping token, so a remote stream fetches nothing new: its unread entries stay there
    /// for the shard's next owner.
    /// </summary>
    private async Task DrainAsync(long deadline, CancellationToken stopping)
    {
        while (Stopwatch.GetTimestamp() < deadline)
        {
            TickStreamEntry? entry;
            try
            {
                entry = await _reader.ReadAsync(TimeSpan.Zero, stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogReadFailed(_logger, _shard, 1, ex.Message);
                return;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (entry is null)
            {
                return;
            }

            await ApplyEntryAsync(entry).ConfigureAwait(false);
        }
    }

    private async ValueTask OnIdleAsync()
    {
        if (_batcher.HasPending)
        {
            if (_idleFlush && Volatile.Read(ref _inFlight) == 0)
            {
                await EnqueueFlushAsync(FlushReason.Idle).ConfigureAwait(false);
            }
            else if (_batcher.WindowElapsed(Stopwatch.GetTimestamp()))
            {
                await EnqueueFlushAsync(FlushReason.Window).ConfigureAwait(false);
            }
        }

        var nowUs = NowUs();
        if (nowUs >= _nextSweepUs)
        {
            _nextSweepUs = nowUs + Math.Min(_idleDeactivationUs, 10_000_000);
            var removed = _grains.DeactivateIdle(nowUs - _idleDeactivationUs);
            if (removed > 0)
            {
                _observer.OnDeactivated(removed);
            }
        }
    }

    private async ValueTask ApplyEntryAsync(TickStreamEntry entry)
    {
        _stats.EntriesRead++;
        var nowUs = NowUs();
        var count = PrepareEntry(entry, nowUs);
        var next = 0;
        while (next < count)
        {
            next = ApplyTicks(entry, next, count, nowUs);
            if (_batcher.IsFull)
            {
                await EnqueueFlushAsync(_batcher.FullReason).ConfigureAwait(false);
            }
        }

        ReportInvalid();
        _batcher.CompleteEntry(entry.Id, Stopwatch.GetTimestamp());
        _reader.Release(entry);
    }

    /// <summary>
    /// Takes the broadcast copies of other shards' underlyings off the tail (they only move the spot) and, in strict
    /// mode, rejects an entry with any invalid tick.
    /// </summary>
    /// <returns>How many ticks at the front of the entry are to be applied.</returns>
    private int PrepareEntry(TickStreamEntry entry, long nowUs)
    {
        var ticks = entry.Buffer;
        var count = entry.Count;
        var nowSeconds = nowUs / 1_000_000;
        var owned = count;
        while (owned > 0 && _map.ShardOf(ticks[owned - 1].InstrumentToken) != _shard)
        {
            owned--;
        }

        // Apply the copies oldest first, so the last price left is the newest.
        for (var i = owned; i < count; i++)
        {
            ref readonly var tick = ref ticks[i];
            if (tick.LastPrice > 0 && _validator.Validate(in tick, nowSeconds) == TickValidationReason.Valid
                && _master.TryGetId(tick.InstrumentToken, out var id))
            {
                _context.UnderlyingPrices.Set(id, tick.LastPrice);
            }
        }

        if (_validator.Mode == ValidationMode.Strict)
        {
            // Strict validation leaves the ticks where they are, so stream positions stay the entry's indices.
            var result = _validator.ValidateBatch(entry.Buffer.AsSpan(0, owned), nowSeconds, _reasonCounts);
            if (result.Rejected)
            {
                _stats.InvalidTicks += result.InvalidCount;
                _observer.OnBatchRejected();
                return 0;
            }
        }

        return owned;
    }

    /// <summary>Applies ticks [<paramref name="start"/>, <paramref name="count"/>) of an entry until the batcher is full.</summary>
    /// <returns>The index of the next tick to apply.</returns>
    /// <remarks>The per-tick path: allocates nothing (a grain's first tick activates it).</remarks>
    private int ApplyTicks(TickStreamEntry entry, int start, int count, long nowUs)
    {
        var ticks = entry.Buffer;
        var nowSeconds = nowUs / 1_000_000;
        var lenient = _validator.Mode == ValidationMode.Lenient;
        for (var i = start; i < count; i++)
        {
            ref readonly var tick = ref ticks[i];
            var started = Stopwatch.GetTimestamp();
            if (lenient)
            {
                var reason = _validator.Validate(in tick, nowSeconds);
                if (reason != TickValidationReason.Valid)
                {
                    _stats.InvalidTicks++;
                    _reasonCounts[(int)reason]++;
                    continue;
                }
            }

            if (!_master.TryGetId(tick.InstrumentToken, out var id))
            {
                // Only reachable with validation off: an unknown token cannot be applied.
                _stats.ProcessingErrors++;
                _observer.OnProcessingError(ProcessingError.UnknownInstrument);
                continue;
            }

            if (_map.ShardOf(tick.InstrumentToken) != _shard)
            {
                // A broadcast copy not at the tail (another writer's layout): it only moves the spot.
                _context.UnderlyingPrices.Set(id, tick.LastPrice);
                continue;
            }

            var grain = _grains.GetOrActivate(id);
            var position = new StreamPosition(entry.Id, i);
            if (grain.HasApplied(position))
            {
                // Redelivered after a crash or takeover: its effect is already in the grain's state.
                _stats.DuplicateTicks++;
                continue;
            }

            var option = grain.Instrument.IsOption;
            if (!option && grain.Instrument.Kind == InstrumentKind.Underlying)
            {
                _context.UnderlyingPrices.Set(id, tick.LastPrice);
            }

            ref var slot = ref _batcher.Reserve(tick.InstrumentToken, option, started);
            var status = grain.Apply(in tick, position, option ? _context.SpotOf(id) : 0, nowUs, ref slot);
            var elapsed = Stopwatch.GetTimestamp() - started;
            _stats.ProcessingLatency.Record(ToNanoseconds(elapsed));
            if (option)
            {
                _stats.OptionTicks++;
                if (status == IvStatus.Ok)
                {
                    _stats.GreeksComputed++;
                }
                else if (status != IvStatus.None)
                {
                    _stats.IvFailures++;
                }

                _observer.OnOptionTick(elapsed, status, grain.LastGreeksElapsed, tick.Mode == TickMode.Full);
            }
            else
            {
                _stats.UnderlyingTicks++;
                _observer.OnUnderlyingTick(elapsed, id, tick.LastPrice);
            }

            if (_batcher.IsFull)
            {
                return i + 1;
            }
        }

        return count;
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

    /// <summary>
    /// Before reading, restores the grains of this shard (and every underlying's spot) from the snapshot store, as
    /// Orleans activates grains from persisted state: ticks counts carry on, and redelivered ticks are recognised.
    /// </summary>
    private async Task RestoreAsync(CancellationToken stopping)
    {
        var tokens = new List<uint>();
        foreach (var instrument in _master.Instruments)
        {
            if (_map.ShardOf(instrument.InstrumentToken) == _shard || _map.IsBroadcast(instrument.InstrumentToken))
            {
                tokens.Add(instrument.InstrumentToken);
            }
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var restored = 0;
                foreach (var snapshot in await _snapshots.GetManyAsync(tokens, stopping).ConfigureAwait(false))
                {
                    if (!_master.TryGetId(snapshot.InstrumentToken, out var id))
                    {
                        continue;
                    }

                    if (snapshot.Kind == InstrumentKind.Underlying)
                    {
                        _context.UnderlyingPrices.Set(id, snapshot.LastPrice);
                    }

                    if (_map.ShardOf(snapshot.InstrumentToken) == _shard)
                    {
                        _grains.Restore(id, in snapshot);
                        restored++;
                    }
                }

                if (restored > 0)
                {
                    LogRestored(_logger, _shard, restored);
                }

                return;
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                _observer.OnReadError();
                LogRestoreFailed(_logger, _shard, attempt, ex.Message);
                await DelayAsync(attempt, stopping).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask EnqueueFlushAsync(FlushReason reason)
    {
        var batch = _batcher.Detach(reason);
        _observer.OnBatchDetached(batch, _batcher.MaxBatchSize);
        Interlocked.Increment(ref _inFlight);
        if (!_flushQueue.Writer.TryWrite(batch))
        {
            // The flusher is behind: wait here, which stops the reading (back-pressure). Only a hard stop (drain
            // timeout, or the shard abandoned) ends the wait, since the flusher is gone then.
            await _flushQueue.Writer.WriteAsync(batch, _hardStop?.Token ?? CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task FlushLoopAsync(CancellationToken hardStop)
    {
        await foreach (var batch in _flushQueue.Reader.ReadAllAsync(hardStop).ConfigureAwait(false))
        {
            var started = Stopwatch.GetTimestamp();
            if (batch.UnderlyingCount + batch.OptionCount > 0)
            {
                await RetryAsync(static (w, b, ct) => w._sink.WriteAsync(b.Underlyings, b.Options, ct), batch, "write", hardStop).ConfigureAwait(false);
            }

            var writtenAt = Stopwatch.GetTimestamp();
            if (batch.EntryCount > 0)
            {
                await RetryAsync(static (w, b, ct) => w._reader.AckAsync(b.Entries, ct), batch, "ack", hardStop).ConfigureAwait(false);
            }

            RecordFlush(batch, writtenAt - started);
            _batcher.Return(batch);
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private void RecordFlush(SnapshotBatch batch, long writeElapsed)
    {
        var nowUs = NowUs();
        _stats.RecordFlush(batch, ToNanoseconds(writeElapsed), nowUs);
        _observer.OnBatchWritten(batch, writeElapsed, nowUs);
    }

    private async ValueTask RetryAsync(
        Func<ShardWorker, SnapshotBatch, CancellationToken, ValueTask> operation, SnapshotBatch batch, string what, CancellationToken hardStop)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await operation(this, batch, hardStop).ConfigureAwait(false);
                if (attempt > 1)
                {
                    LogFlushRecovered(_logger, _shard, what, attempt);
                }

                return;
            }
            catch (Exception ex) when (!hardStop.IsCancellationRequested)
            {
                _stats.FlushFailures++;
                _observer.OnFlushError();
                if (attempt == 1 || attempt % 20 == 0)
                {
                    LogFlushFailed(_logger, _shard, what, attempt, ex.Message);
                }

                await DelayAsync(attempt, hardStop).ConfigureAwait(false);
            }
        }
    }

    private static Task DelayAsync(int attempt, CancellationToken cancellationToken) =>
        Task.Delay(RetryBackoff.Delay(attempt), cancellationToken).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private long NowUs() => _time.MicrosecondsNow();

    private static long ToNanoseconds(long stopwatchTicks) => (long)(stopwatchTicks * (1_000_000_000.0 / Stopwatch.Frequency));

    [LoggerMessage(Level = LogLevel.Information, Message = "Shard {Shard}: restored {Grains} grains from the snapshot store")]
    private static partial void LogRestored(ILogger logger, int shard, int grains);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shard {Shard}: restoring grain state failed (attempt {Attempt}), retrying: {Reason}")]
    private static partial void LogRestoreFailed(ILogger logger, int shard, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shard {Shard}: reading the tick stream failed (attempt {Attempt}): {Reason}")]
    private static partial void LogReadFailed(ILogger logger, int shard, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shard {Shard}: {What} failed (attempt {Attempt}), holding the batch and retrying: {Reason}")]
    private static partial void LogFlushFailed(ILogger logger, int shard, string what, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shard {Shard}: {What} succeeded after {Attempts} attempts")]
    private static partial void LogFlushRecovered(ILogger logger, int shard, string what, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Shard {Shard}: pending batches not written within {Seconds} s of shutdown; their entries stay unacknowledged and will be redelivered")]
    private static partial void LogDrainTimedOut(ILogger logger, int shard, double seconds);
}
