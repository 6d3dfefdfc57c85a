using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticker.Client.Ingestion;
using Ticker.Grains.Diagnostics;
using Ticker.Grains.Interfaces.Batching;
using Ticker.Silo.Options;

namespace Ticker.Silo.Hosting;

/// <summary>
/// At shutdown, after this process's feeds have stopped and before the silo stops, switches the batcher to writing
/// every add at once and waits (up to <see cref="SiloOptions.DrainTimeout"/>) until every tick they published has been
/// delivered: memory streams keep
/// their queues in memory, so a silo that stopped earlier would drop what is still queued.
/// </summary>
public sealed partial class TickStreamDrain : IHostedService
{
    private static readonly TimeSpan PollPeriod = TimeSpan.FromMilliseconds(10);

    private readonly OrleansTickStreamWriter _writer;
    private readonly IGrainFactory _grains;
    private readonly SiloStatistics _statistics;
    private readonly SiloOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the service.</summary>
    public TickStreamDrain(OrleansTickStreamWriter writer, IGrainFactory grains, SiloStatistics statistics, IOptions<SiloOptions> options, TimeProvider time, ILogger<TickStreamDrain> logger)
    {
        _writer = writer;
        _grains = grains;
        _statistics = statistics;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var deadline = _time.GetTimestamp() + (long)(_options.DrainTimeout.TotalSeconds * _time.TimestampFrequency);

        // The final flush: no delivery waits for a window any more.
        await _grains.GetGrain<ISnapshotBatcherGrain>(0).DrainAsync().ConfigureAwait(false);
        while (_statistics.DeliveredTicks < _writer.TicksPublished)
        {
            if (_time.GetTimestamp() >= deadline || cancellationToken.IsCancellationRequested)
            {
                LogNotDrained(_logger, _writer.TicksPublished - _statistics.DeliveredTicks, _options.DrainTimeout.TotalSeconds);
                return;
            }

            await Task.Delay(PollPeriod, _time, CancellationToken.None).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Ticks} published ticks were not delivered within the {Seconds} s drain timeout and are lost with the in-memory stream")]
    private static partial void LogNotDrained(ILogger logger, long ticks, double seconds);
}
