using Ticker.Grains.Batching;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Pricing;
using Ticker.Silo.Metrics;

namespace Ticker.Tests.Silo.Metrics;

/// <summary>Records into every instrument of the catalog, the way the silo does, so that every family has samples.</summary>
internal static class CatalogRecorder
{
    private enum SampleRejection
    {
        NonPositivePrice,
        NegativeVolume,
    }

    private enum SampleDecodeError
    {
        TruncatedPacket,
    }

    /// <summary>A service provider with the catalog and its registry registered (dispose it).</summary>
    public static ServiceProvider CreateProvider() => new ServiceCollection().AddTickerMetrics().BuildServiceProvider();

    /// <summary>Resolves the meter export and every instruments class, records into all of them, and returns the registry.</summary>
    public static CollectorRegistry RecordEverything(IServiceProvider provider, int rounds = 1)
    {
        var registry = provider.GetRequiredService<CollectorRegistry>();
        _ = provider.GetRequiredService<MeterExport>();
        foreach (var type in MetricsCatalog.InstrumentsTypes)
        {
            _ = provider.GetRequiredService(type);
        }

        for (var round = 0; round < rounds; round++)
        {
            var ticks = provider.GetRequiredService<TickInstruments>();
            ticks.RecordProcessed(InstrumentKind.Underlying, 0.000004);
            ticks.RecordProcessed(InstrumentKind.Call, 0.000012);
            ticks.RecordProcessed(InstrumentKind.Put, 0.00003);
            ticks.RecordRejected(InstrumentKind.Call, SampleRejection.NonPositivePrice);
            ticks.RecordRejected(InstrumentKind.Underlying, "stale_timestamp");
            ticks.RecordFailed(InstrumentKind.Put, TickErrorType.Greeks);
            ticks.RecordError(TickErrorType.Publish);
            ticks.RecordEndToEndLatency(0.0021);
            ticks.RecordDepthUpdate();
            ticks.SetUnderlyingPrice("NIFTY", 24_350.55);
            ticks.SetUnderlyingPrice("BANKNIFTY", 51_120.1);
            ticks.SetActiveAccounts(2);

            var greeks = provider.GetRequiredService<GreeksInstruments>();
            greeks.RecordCalculation(0.0000021);
            greeks.RecordIvOutcome(IvStatus.BelowIntrinsic);
            greeks.RecordIvOutcome(IvStatus.Ok);

            var batching = provider.GetRequiredService<BatchingInstruments>();
            batching.RecordFlush(BatchType.Options, FlushReason.Size, 1000, 1000, 0.0008);
            batching.RecordFlush(BatchType.Underlying, FlushReason.Window, 12, 1000, 0.0003);
            batching.RecordFlush(BatchType.Options, FlushReason.Idle, 40, 1000, 0.0002);

            var redis = provider.GetRequiredService<RedisInstruments>();
            redis.RecordPipeline(1052, 0.0009);
            redis.RecordCommands(3);
            redis.RecordError(RedisErrorType.Timeout);
            redis.RecordReconnect();

            var streams = provider.GetRequiredService<StreamInstruments>();
            streams.SetShardLag(0, 12);
            streams.SetShardLag(3, 0);
            streams.SetShardPendingEntries(0, 4);
            streams.SetShardPendingEntries(3, 1);
            streams.RecordRead(10);
            streams.RecordAcked(9);
            streams.RecordClaimed(1);
            streams.SetQueueCount(4);
            streams.RecordDeadLettered(1, 2);
            streams.RecordTrimmed(2, 100);
            streams.RecordQueueTakeover(3);

            var cluster = provider.GetRequiredService<ClusterInstruments>();
            cluster.SetOwnedShards(2);
            cluster.SetLiveSilos(3);
            cluster.RecordSilosDeclaredDead(1);

            var kite = provider.GetRequiredService<KiteInstruments>();
            kite.RecordFrame(KiteFrameKind.Ticks, 250);
            kite.RecordFrame(KiteFrameKind.Heartbeat, 0);
            kite.RecordFrame(KiteFrameKind.Text, 0);
            kite.RecordDecodeError(SampleDecodeError.TruncatedPacket);
            kite.RecordReconnect();
            kite.RecordStaleConnection();
            kite.SetConnections(1);
            kite.RecordOwnershipChange(AccountOwnershipChange.Acquired, 1);
        }

        return registry;
    }
}
