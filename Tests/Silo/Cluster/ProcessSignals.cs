using System.Diagnostics;
using System.Globalization;

namespace Ticker.Tests.Silo.Cluster;

/// <summary>Sends POSIX signals to a process through <c>kill</c>, for pausing (SIGSTOP) and resuming (SIGCONT) a silo.</summary>
internal static class ProcessSignals
{
    /// <summary>Sends <paramref name="signal"/> (for example <c>STOP</c>, <c>CONT</c>) to <paramref name="pid"/> and waits for <c>kill</c> to finish.</summary>
    public static async Task SendAsync(int pid, string signal)
    {
        // /bin/kill rather than P/Invoke: the test assembly stays free of unsafe code and platform imports.
        var start = new ProcessStartInfo("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
        };
        using var kill = Process.Start(start) ?? throw new InvalidOperationException("kill did not start");
        var error = await kill.StandardError.ReadToEndAsync();
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed ({kill.ExitCode}): {error}");
        }
    }
}
