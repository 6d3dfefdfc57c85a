using Ticker.Grains.Diagnostics;
using Microsoft.Extensions.Hosting;

namespace Ticker.Silo.Diagnostics;

/// <summary>
/// Captures the silo's totals once a second and keeps the last five minutes of <see cref="StatusSample"/>s (rates and
/// windowed percentiles) for the status line, <c>/api/status</c> and the status page charts.
/// </summary>
public sealed class StatusSampler : BackgroundService
{
    /// <summary>The default value for the history kept: 300 one-second samples.</summary>
    public const int DefaultHistoryLength = 300;

    private readonly SiloStatistics _statistics;
    private readonly TimeProvider _time;
    private readonly Queue<StatusSample> _history = new();
    private SiloTotals? _previous;

    /// <summary>Creates the sampler.</summary>
    public StatusSampler(SiloStatistics statistics, TimeProvider time)
    {
        _statistics = statistics;
        _time = time;
    }

    /// <summary>Raised after each sample (the demo prints its status line from it).</summary>
    public event Action<StatusSample>? Sampled;

    /// <summary>The newest sample, or null before the first second.</summary>
    public StatusSample? Latest { get; private set; }

    /// <summary>The samples kept, oldest first.</summary>
    public IReadOnlyList<StatusSample> History
    {
        get
        {
            lock (_history)
            {
                return [.. _history];
            }
        }
    }

    /// <summary>Takes a sample now (also called once more at shutdown so the last second is not lost).</summary>
    public StatusSample Sample()
    {
        var current = _statistics.Capture();
        var previous = _previous ?? new SiloTotals { CapturedAt = current.CapturedAt.AddSeconds(-1) };
        var seconds = Math.Max(1e-3, (current.CapturedAt - previous.CapturedAt).TotalSeconds);
        var processing = SiloTotals.Delta(current.ProcessingLatency, _previous?.ProcessingLatency);
        var endToEnd = SiloTotals.Delta(current.EndToEndLatency, _previous?.EndToEndLatency);
        var grains = (int)_statistics.LoadedInstruments;
        var sample = new StatusSample(
            current.CapturedAt,
            (current.TicksProcessed - previous.TicksProcessed) / seconds,
            (current.OptionTicks - previous.OptionTicks) / seconds,
            (current.SnapshotsWritten - previous.SnapshotsWritten) / seconds,
            (current.BatchesFlushed - previous.BatchesFlushed) / seconds,
            LatencyHistogram.Quantile(processing, 0.50) / 1e3,
            LatencyHistogram.Quantile(processing, 0.99) / 1e3,
            LatencyHistogram.Quantile(endToEnd, 0.50) / 1e6,
            LatencyHistogram.Quantile(endToEnd, 0.99) / 1e6,
            current.TicksProcessed,
            current.InvalidTicks,
            current.ProcessingErrors,
            current.BatchesFlushed,
            [.. current.FlushesByReason],
            grains);
        _previous = current;
        Latest = sample;
        lock (_history)
        {
            _history.Enqueue(sample);
            while (_history.Count > DefaultHistoryLength)
            {
                _history.Dequeue();
            }
        }

        Sampled?.Invoke(sample);
        return sample;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Sample();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
