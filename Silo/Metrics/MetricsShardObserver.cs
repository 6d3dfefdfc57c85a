using Ticker.Grains.Diagnostics;
using System.Diagnostics;
using Ticker.Grains.Batching;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Pricing;
using Ticker.Grains.Validation;
using Ticker.Silo.Hosting;

namespace Ticker.Silo.Metrics;

/// <summary>Turns what the shard workers report into the Prometheus metrics of the catalog.</summary>
public sealed class MetricsShardObserver : IPipelineObserver
{
    private static readonly double SecondsPerTick = 1.0 / Stopwatch.Frequency;

    private readonly TickInstruments _ticks;
    private readonly GreeksInstruments _greeks;
    private readonly BatchingInstruments _batching;
    private readonly string[] _symbols;

    /// <summary>Creates the observer.</summary>
    public MetricsShardObserver(TickInstruments ticks, GreeksInstruments greeks, BatchingInstruments batching, KiteInstruments kite, InstrumentMaster master)
    {
        var reasons = new List<string>();
        for (var reason = TickValidationReason.Valid + 1; (int)reason < TickValidator.ReasonCount; reason++)
        {
            reasons.Add(TickValidationReasonNames.Of(reason));
        }

        ticks.InitializeValidationReasons(reasons);
        var decodeReasons = new List<string>();
        foreach (var error in Enum.GetValues<Ticker.Protocol.Kite.KiteDecodeError>())
        {
            if (error != Ticker.Protocol.Kite.KiteDecodeError.None)
            {
                decodeReasons.Add(EnumLabel<Ticker.Protocol.Kite.KiteDecodeError>.Of(error));
            }
        }

        kite.InitializeDecodeReasons(decodeReasons);
        _ticks = ticks;
        _greeks = greeks;
        _batching = batching;
        _symbols = new string[master.Count];
        for (var id = 0; id < master.Count; id++)
        {
            _symbols[id] = master[id].TradingSymbol;
        }
    }

    /// <inheritdoc />
    public void OnUnderlyingTick(long elapsed, int instrumentId, double lastPrice)
    {
        _ticks.RecordProcessed(InstrumentKind.Underlying, elapsed * SecondsPerTick);
        _ticks.SetUnderlyingPrice(_symbols[instrumentId], lastPrice);
    }

    /// <inheritdoc />
    public void OnOptionTick(long elapsed, IvStatus status, long greeksElapsed, bool depthUpdated)
    {
        _ticks.RecordProcessed(InstrumentKind.Call, elapsed * SecondsPerTick);
        if (status != IvStatus.None && status != IvStatus.NoUnderlyingPrice)
        {
            _greeks.RecordCalculation(greeksElapsed * SecondsPerTick);
        }

        if (status != IvStatus.None)
        {
            _greeks.RecordIvOutcome(status);
        }

        if (depthUpdated)
        {
            _ticks.RecordDepthUpdate();
        }
    }

    /// <inheritdoc />
    public void OnRedeliveredTicks(int count) => _ticks.RecordRedelivered(count);

    /// <inheritdoc />
    public void OnInvalidTicks(TickValidationReason reason, int count)
    {
        _ticks.RecordRejected(InstrumentKind.Underlying, TickValidationReasonNames.Of(reason), count);
    }

    /// <inheritdoc />
    public void OnBatchRejected() => _ticks.RecordError(TickErrorType.Validation);

    /// <inheritdoc />
    public void OnProcessingError(ProcessingError error) => _ticks.RecordError(error switch
    {
        ProcessingError.UnknownInstrument => TickErrorType.State,
        ProcessingError.Publish => TickErrorType.Publish,
        _ => TickErrorType.Internal,
    });

    /// <inheritdoc />
    public void OnReadError() => _ticks.RecordError(TickErrorType.Internal);

    /// <inheritdoc />
    public void OnFlushError() => _ticks.RecordError(TickErrorType.Publish);

    /// <inheritdoc />
    public void OnBatchDetached(SnapshotBatch batch, int maxBatchSize)
    {
    }

    /// <inheritdoc />
    public void OnBatchWritten(SnapshotBatch batch, long writeElapsed, long nowUs)
    {
        var seconds = writeElapsed * SecondsPerTick;
        _batching.RecordFlush(BatchType.Underlying, batch.Reason, batch.UnderlyingCount, batch.Capacity, seconds);
        _batching.RecordFlush(BatchType.Options, batch.Reason, batch.OptionCount, batch.Capacity, seconds);
        foreach (ref readonly var snapshot in batch.Underlyings.Span)
        {
            _ticks.RecordEndToEndLatency((nowUs - snapshot.ReceivedAtUs) / 1e6);
        }

        foreach (ref readonly var snapshot in batch.Options.Span)
        {
            _ticks.RecordEndToEndLatency((nowUs - snapshot.ReceivedAtUs) / 1e6);
        }
    }

    /// <inheritdoc />
    public void OnDeactivated(int count)
    {
    }
}
