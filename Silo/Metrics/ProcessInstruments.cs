using System.Diagnostics;
using System.Globalization;
using Prometheus;

namespace Ticker.Silo.Metrics;

/// <summary>
/// The standard Prometheus process metrics (prometheus-net, read at each scrape), under the names every Prometheus
/// user knows. GC, JIT, thread pool and exception figures come from the runtime's own <c>System.Runtime</c> meter
/// (<c>system_runtime_dotnet_gc_collections{gc_heap_generation}</c>, <c>system_runtime_dotnet_gc_pause_time</c>,
/// <c>system_runtime_dotnet_thread_pool_queue_length</c>, …), exported by <see cref="MeterExport"/>.
/// </summary>
public sealed class ProcessInstruments
{
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

    private readonly Counter _cpu;
    private readonly Gauge _resident;
    private readonly Gauge _virtual;
    private readonly Gauge _openFds;
    private readonly Gauge _maxFds;

    /// <summary>Creates the metrics in <paramref name="registry"/>; they are read when it is scraped.</summary>
    public ProcessInstruments(CollectorRegistry registry)
    {
        var factory = MetricsCatalog.CreateFactory(registry);
        _cpu = factory.CreateCounter(ProcessCpuSecondsTotal, "Total user and system CPU time spent in seconds.");
        _resident = factory.CreateGauge(ProcessResidentMemoryBytes, "Resident memory size in bytes.");
        _virtual = factory.CreateGauge(ProcessVirtualMemoryBytes, "Virtual memory size in bytes.");
        var startTime = factory.CreateGauge(ProcessStartTimeSeconds, "Start time of the process since unix epoch in seconds.");
        _openFds = factory.CreateGauge(ProcessOpenFds, "Number of open file descriptors.");
        _maxFds = factory.CreateGauge(ProcessMaxFds, "Maximum number of open file descriptors.");
        using (var process = Process.GetCurrentProcess())
        {
            startTime.Set(new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0);
        }

        registry.AddBeforeCollectCallback(Update);
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

    private static long OpenFds()
    {
        if (!Directory.Exists(FdDirectory))
        {
            return 0;
        }

        long count = 0;
        foreach (var _ in Directory.EnumerateFileSystemEntries(FdDirectory))
        {
            count++;
        }

        return count;
    }

    private static long MaxFds()
    {
        if (!File.Exists(LimitsFile))
        {
            return 0;
        }

        // "Max open files            1024                 1048576              files"
        foreach (var line in File.ReadLines(LimitsFile))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                var fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 0 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var soft))
                {
                    return soft;
                }
            }
        }

        return 0;
    }

    private void Update()
    {
        _cpu.IncTo(Environment.CpuUsage.TotalTime.TotalSeconds);
        _resident.Set(Environment.WorkingSet);
        _virtual.Set(VirtualMemoryBytes());
        _openFds.Set(OpenFds());
        _maxFds.Set(MaxFds());
    }
}
