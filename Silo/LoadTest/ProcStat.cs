using System.Globalization;

namespace Ticker.Silo.LoadTest;

/// <summary>Reads a process's resident set and CPU time from /proc (Linux); 0 where /proc is missing.</summary>
internal static class ProcStat
{
    /// <summary>Clock ticks per second of /proc/PID/stat (USER_HZ, 100 on Linux).</summary>
    private const double ClockTicksPerSecond = 100;

    /// <summary>VmRSS of <paramref name="pid"/> in MB; 0 when unknown.</summary>
    public static double RssMb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return long.Parse(parts[1], CultureInfo.InvariantCulture) / 1024.0;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return 0;
    }

    /// <summary>utime + stime of <paramref name="pid"/> in seconds; null when the process is gone.</summary>
    public static double? CpuSeconds(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");

            // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
            var rest = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            var utime = long.Parse(rest[11], CultureInfo.InvariantCulture);
            var stime = long.Parse(rest[12], CultureInfo.InvariantCulture);
            return (utime + stime) / ClockTicksPerSecond;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
