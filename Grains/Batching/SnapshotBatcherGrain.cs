using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Ticker.Grains.Diagnostics;
using Ticker.Grains.Interfaces.Batching;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Grains.Batching;

/// <summary>
/// One per silo (a stateless worker, reentrant, like GPSTracker's push notifier): collects the snapshots of every
/// partition consumer into <see cref="TickBatcher"/>'s batches and writes them to the sink one batch at a time.
/// A caller gets the task of the flush that holds its last snapshot (group commit), so a stream delivery completes
/// only once its snapshots are written. Flushes on size, on the window, as soon as the previous write is done while
/// snapshots wait (idle flush), and on deactivation; at most <see cref="BatchingOptions.MaxPendingBatches"/> batches
/// wait for the sink, beyond which callers wait (back-pressure). A failed write is retried with capped backoff.
/// </summary>
[StatelessWorker(1)]
[Reentrant]
public sealed partial class SnapshotBatcherGrain : Grain, ISnapshotBatcherGrain
{
    private readonly TickBatcher _batcher;
    private readonly ISnapshotSink _sink;
    private readonly IPipelineObserver _observer;
    private readonly SiloStatistics _statistics;
    private readonly ShardStatistics _stats;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private TaskCompletionSource _currentWritten = NewCompletion();
    private Task _tail = Task.CompletedTask;
    private int _inFlight;
    private bool _draining;

    /// <summary>Creates the grain (Orleans does, with the silo's services).</summary>
    public SnapshotBatcherGrain(
        IOptions<BatchingOptions> options,
        ISnapshotSink sink,
        IPipelineObserver observer,
        SiloStatistics statistics,
        TimeProvider time,
        ILogger<SnapshotBatcherGrain> logger)
    {
        _batcher = new TickBatcher(options.Value);
        _sink = sink;
        _observer = observer;
        _statistics = statistics;
        _stats = statistics.SiloWide;
        _time = time;
        _logger = logger;
    }

    private BatchingOptions Options => _batcher.Options;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromMilliseconds(Math.Max(1, Options.WindowMs / 4.0));
        this.RegisterGrainTimer(static (grain, _) => grain.OnTimerAsync(), this, new GrainTimerCreationOptions(period, period) { Interleave = true });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_batcher.HasPending)
        {
            _ = Flush(FlushReason.Shutdown);
        }

        await _tail.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Allocates nothing per snapshot.</remarks>
    public async Task AddAsync(SnapshotSet snapshots)
    {
        if (!snapshots.IsWellFormed)
        {
            _observer.OnProcessingError(ProcessingError.Publish);
            LogMalformed(_logger, snapshots.Parts.Length, snapshots.SnapshotSize);
            return;
        }

        while (Volatile.Read(ref _inFlight) >= Options.MaxPendingBatches)
        {
            // The sink is behind: the caller waits, which holds its stream delivery (back-pressure).
            await _tail;
        }

        var written = Task.CompletedTask;
        for (var part = 0; part < snapshots.Parts.Length; part++)
        {
            written = AddAll(snapshots.Part(part), written);
        }

        _statistics.PendingSnapshots = _batcher.PendingCount;
        if (_batcher.HasPending)
        {
            written = _draining ? Flush(FlushReason.Shutdown)
                : Options.IdleFlush && Volatile.Read(ref _inFlight) == 0 ? Flush(FlushReason.Idle)
                : _currentWritten.Task;
        }

        await written;
    }

    /// <inheritdoc />
    public Task DrainAsync()
    {
        _draining = true;
        if (_batcher.HasPending)
        {
            _ = Flush(FlushReason.Shutdown);
        }

        return _tail;
    }

    private Task AddAll(ReadOnlySpan<InstrumentSnapshot> snapshots, Task written)
    {
        var now = Stopwatch.GetTimestamp();
        foreach (ref readonly var snapshot in snapshots)
        {
            ref var slot = ref _batcher.Reserve(snapshot.InstrumentToken, snapshot.IsOption, now, out var conflated);
            if (!conflated || snapshot.Ticks >= slot.Ticks)
            {
                // Conflation keeps the newest state: an instrument's tick count never goes backwards.
                slot = snapshot;
            }

            if (_batcher.IsFull)
            {
                written = Flush(_batcher.FullReason);
            }
        }

        return written;
    }

    private Task OnTimerAsync()
    {
        if (_batcher.HasPending && _batcher.WindowElapsed(Stopwatch.GetTimestamp()))
        {
            _ = Flush(FlushReason.Window);
        }

        return Task.CompletedTask;
    }

    /// <summary>Hands out the current batch to be written after the batches before it; returns its write.</summary>
    private Task Flush(FlushReason reason)
    {
        var batch = _batcher.Detach(reason);
        _statistics.PendingSnapshots = 0;
        var written = _currentWritten;
        _currentWritten = NewCompletion();
        _observer.OnBatchDetached(batch, _batcher.MaxBatchSize);
        Interlocked.Increment(ref _inFlight);
        _tail = WriteAfterAsync(_tail, batch, written);
        return written.Task;
    }

    private async Task WriteAfterAsync(Task previous, SnapshotBatch batch, TaskCompletionSource written)
    {
        await previous;
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _sink.WriteAsync(batch.Underlyings, batch.Options, CancellationToken.None);
                if (attempt > 1)
                {
                    LogWriteRecovered(_logger, attempt);
                }

                break;
            }
            catch (Exception ex)
            {
                _stats.FlushFailures++;
                _observer.OnFlushError();
                if (attempt == 1 || attempt % 20 == 0)
                {
                    LogWriteFailed(_logger, attempt, ex.Message);
                }

                await Task.Delay(RetryBackoff.Delay(attempt), _time);
            }
        }

        var elapsed = Stopwatch.GetTimestamp() - started;
        var nowUs = _time.MicrosecondsNow();
        _stats.RecordFlush(batch, (long)(elapsed * (1_000_000_000.0 / Stopwatch.Frequency)), nowUs);
        _observer.OnBatchWritten(batch, elapsed, nowUs);
        _batcher.Return(batch);
        Interlocked.Decrement(ref _inFlight);
        written.SetResult();
        if (Options.IdleFlush && _batcher.HasPending && Volatile.Read(ref _inFlight) == 0)
        {
            // Snapshots arrived while this batch was being written: write them now rather than wait for the window.
            _ = Flush(FlushReason.Idle);
        }
    }

    private static TaskCompletionSource NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Error, Message = "A malformed snapshot set ({Parts} parts, snapshot size {Size}) was dropped")]
    private static partial void LogMalformed(ILogger logger, int parts, int size);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing a snapshot batch failed (attempt {Attempt}); holding it and retrying: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Writing a snapshot batch succeeded after {Attempts} attempts")]
    private static partial void LogWriteRecovered(ILogger logger, int attempts);
}
