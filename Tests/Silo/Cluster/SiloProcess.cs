using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Ticker.Silo.LoadTest;

namespace Ticker.Tests.Silo.Cluster;

/// <summary>A <c>ticker silo --redis</c> process on a free loopback HTTP port, which can be killed, stopped, paused and resumed.</summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private const string OptionTicksApplied = "ticks_processed_total{tick_type=\"option\",status=\"success\"} ";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly ChildProcess _process;

    private SiloProcess(string name, Uri url, ChildProcess process)
    {
        Name = name;
        Url = url;
        _process = process;
    }

    /// <summary>The silo id (<c>--silo-id</c>).</summary>
    public string Name { get; }

    /// <summary>The HTTP base address (<c>--http</c>).</summary>
    public Uri Url { get; }

    /// <summary>The process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Whether it is stopped by SIGSTOP.</summary>
    public bool IsPaused { get; private set; }

    /// <summary>Everything the process printed.</summary>
    public string Output => _process.Output;

    /// <summary>Starts a silo against <paramref name="redis"/>.</summary>
    public static SiloProcess Start(string redis, string name)
    {
        // A port picked here, not http://127.0.0.1:0, so the test knows where the API is.
        var url = new Uri($"http://127.0.0.1:{FreePort().ToString(CultureInfo.InvariantCulture)}");
        var process = ChildProcess.Start(
            "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "ticker.dll"), "silo", "--redis", redis, "--silo-id", name, "--http", url.ToString().TrimEnd('/')]);
        return new SiloProcess(name, url, process);
    }

    /// <summary>Kills the process at once (SIGKILL), as a crash would.</summary>
    public void Kill() => _process.Kill();

    /// <summary>Stops the process gracefully (SIGTERM), killing it after <paramref name="timeout"/>.</summary>
    public Task StopAsync(TimeSpan timeout) => _process.StopAsync(timeout);

    /// <summary>Freezes the process (SIGSTOP): it holds its sockets but answers nothing, as a long GC pause or a hung VM.</summary>
    public async Task PauseAsync()
    {
        await ProcessSignals.SendAsync(Pid, "STOP");
        IsPaused = true;
    }

    /// <summary>Lets a paused process run again (SIGCONT).</summary>
    public async Task ResumeAsync()
    {
        await ProcessSignals.SendAsync(Pid, "CONT");
        IsPaused = false;
    }

    /// <summary>This silo's <c>/api/cluster</c>, or <see langword="null"/> when it does not answer.</summary>
    public async Task<ClusterState?> TryGetClusterAsync()
    {
        try
        {
            return ClusterState.Parse(await Http.GetStringAsync(new Uri(Url, "/api/cluster")));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The option ticks this silo applied (its <c>ticks_processed_total</c> option/success counter).</summary>
    public async Task<long> GetOptionTicksAppliedAsync()
    {
        var metrics = await Http.GetStringAsync(new Uri(Url, "/metrics"));
        foreach (var line in metrics.Split('\n'))
        {
            if (line.StartsWith(OptionTicksApplied, StringComparison.Ordinal))
            {
                return (long)double.Parse(line.AsSpan(OptionTicksApplied.Length), CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"silo {Name}: /metrics has no {OptionTicksApplied.Trim()} line");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (IsPaused && !_process.HasExited)
        {
            // A stopped process ignores SIGTERM until continued; SIGKILL below works either way.
            await ProcessSignals.SendAsync(Pid, "CONT");
        }

        await _process.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
