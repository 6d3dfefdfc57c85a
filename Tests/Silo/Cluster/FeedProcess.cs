using System.Globalization;
using Ticker.Silo.LoadTest;

namespace Ticker.Tests.Silo.Cluster;

/// <summary>A <c>ticker feed --redis --synthetic</c> process writing a fixed number of ticks and a manifest of them.</summary>
internal sealed class FeedProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private FeedProcess(string name, string manifestPath, ChildProcess process)
    {
        Name = name;
        ManifestPath = manifestPath;
        _process = process;
    }

    /// <summary>A name for messages.</summary>
    public string Name { get; }

    /// <summary>Where the feed writes its manifest when it ends.</summary>
    public string ManifestPath { get; }

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code (after exit).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the process printed.</summary>
    public string Output => _process.Output;

    /// <summary>Starts a synthetic feed of <paramref name="ticks"/> ticks over <paramref name="instruments"/> instruments at <paramref name="rate"/> ticks/s.</summary>
    public static FeedProcess Start(string redis, string name, string manifestDirectory, int instruments, int rate, long ticks)
    {
        var manifest = Path.Combine(manifestDirectory, name + ".jsonl");
        var process = ChildProcess.Start(
            "dotnet",
            [
                Path.Combine(AppContext.BaseDirectory, "ticker.dll"), "feed", "--redis", redis, "--synthetic",
                "--instruments", instruments.ToString(CultureInfo.InvariantCulture),
                "--rate", rate.ToString(CultureInfo.InvariantCulture),
                "--ticks", ticks.ToString(CultureInfo.InvariantCulture),
                "--manifest", manifest,
            ]);
        return new FeedProcess(name, manifest, process);
    }

    /// <summary>Waits for the feed to end by itself; false when it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The manifest the feed wrote (after it exited).</summary>
    public IReadOnlyList<ManifestLine> ReadManifest() => ManifestLine.ReadAll(ManifestPath);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
