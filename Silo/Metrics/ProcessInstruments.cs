using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace Ticker.Silo.Metrics;

/// <summary>
/// The standard Prometheus process metrics (meter <see cref="MeterName"/>), under the names every Prometheus user
/// knows. GC, JIT, thread pool and exception figures come from the runtime's own <c>System.Runtime</c> meter
/// (<c>dotnet_gc_collections_total{gc_heap_generation}</c>, <c>dotnet_gc_last_collection_heap_size_bytes</c>,
/// <c>dotnet_gc_heap_total_allocated_bytes_total</c>, <c>dotnet_thread_pool_thread_count</c>,
/// <c>dotnet_thread_pool_queue_length</c>, …), which the exporter also exports.
/// </summary>
public sealed class ProcessInstruments
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Ticker.Process";

    /// <summary>Counter: user and system CPU time.</summary>
    public const string ProcessCpuSecondsTotal = "process_cpu_seconds_total";

    /// <summary>Gauge: resident memory (working set).</summary>
    public const string ProcessResidentMemoryBytes = "process_resident_memory_bytes";

    /// <summary>Gauge: virtual memory size.</summary>
    public const string ProcessVirtualMemoryBytes = "process_virtual_memory_bytes";

    /// <summary>Gauge: process start time, Unix seconds.</summary>
    public const string ProcessStartTimeSeconds = "process_start_time_seconds";

    /// <summary>Gauge: open file descriptors (Linux).</summary>
    public const string ProcessOpenFds = "process_open_fds";

    /// <summary>Gauge: the open file descriptor limit (Linux).</summary>
    public const string ProcessMaxFds = "process_max_fds";

    private const string FdDirectory = "/proc/self/fd";
    private const string LimitsFile = "/proc/self/limits";

    private readonly double _startTimeSeconds;

    /// <summary>Creates the instruments on the meter <see cref="MeterName"/> of <paramref name="meterFactory"/>.</summary>
    public ProcessInstruments(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        using (var process = Process.GetCurrentProcess())
        {
            _startTimeSeconds = new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0;
        }

        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableCounter(ProcessCpuSecondsTotal, static () => Environment.CpuUsage.TotalTime.TotalSeconds, "s", "Total user and system CPU time spent in seconds.");
        meter.CreateObservableGauge(ProcessResidentMemoryBytes, static () => Environment.WorkingSet, "By", "Resident memory size in bytes.");
        meter.CreateObservableGauge(ProcessVirtualMemoryBytes, static () => VirtualMemoryBytes(), "By", "Virtual memory size in bytes.");
        meter.CreateObservableGauge(ProcessStartTimeSeconds, () => _startTimeSeconds, "s", "Start time of the process since unix epoch in seconds.");
        meter.CreateObservableGauge(ProcessOpenFds, static () => OpenFds(), "{fd}", "Number of open file descriptors.");
        meter.CreateObservableGauge(ProcessMaxFds, static () => MaxFds(), "{fd}", "Maximum number of open file descriptors.");
    }

    /// <summary>The metric names this class exports (the fd gauges only on Linux).</summary>
    public static IReadOnlyList<string> MetricNames { get; } =
    [
        ProcessCpuSecondsTotal, ProcessResidentMemoryBytes, ProcessVirtualMemoryBytes, ProcessStartTimeSeconds, ProcessOpenFds, ProcessMaxFds,
    ];

    private static long VirtualMemoryBytes()
    {
        using var process = Process.GetCurrentProcess();
        return process.VirtualMemorySize64;
    }

    private static IEnumerable<Measurement<long>> OpenFds()
    {
        if (!Directory.Exists(FdDirectory))
        {
            return [];
        }

        long count = 0;
        foreach (var _ in Directory.EnumerateFileSystemEntries(FdDirectory))
        {
            count++;
        }

        return [new Measurement<long>(count)];
    }

    private static IEnumerable<Measurement<long>> MaxFds()
    {
        if (!File.Exists(LimitsFile))
        {
            return [];
        }

        // "Max open files            1024                 1048576              files"
        foreach (var line in File.ReadLines(LimitsFile))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                var fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 0 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var soft))
                {
                    return [new Measurement<long>(soft)];
                }
            }
        }

        return [];
    }
}
