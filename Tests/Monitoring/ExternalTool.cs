using System.Diagnostics;
using System.Text;

namespace Ticker.Tests.Monitoring;

/// <summary>Finds and runs the real command-line tools the integration tests drive (promtool, prometheus, bash).</summary>
internal static class ExternalTool
{
    /// <summary>The full path of <paramref name="name"/> on PATH; fails the test with how to install it when missing.</summary>
    public static string Find(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"{name} is not installed (not on PATH). Run ./ticker test, which installs it, or apt-get install prometheus (Debian's package provides prometheus and promtool).");
    }

    /// <summary>Runs a tool to completion and returns its exit code and output.</summary>
    public static async Task<ToolResult> RunAsync(
        string fileName, IEnumerable<string> arguments, string? standardInput = null, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryPaths.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
        }

        process.StandardInput.Close();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish in time.");
        }

        return new ToolResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>A finished tool run.</summary>
    internal sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError)
    {
        public override string ToString()
        {
            var text = new StringBuilder();
            text.Append("exit ").Append(ExitCode).AppendLine();
            text.AppendLine("stdout:").AppendLine(StandardOutput);
            text.AppendLine("stderr:").AppendLine(StandardError);
            return text.ToString();
        }
    }
}
