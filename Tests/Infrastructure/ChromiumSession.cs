using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;

namespace Ticker.Tests.Infrastructure;

/// <summary>
/// A headless Chromium with one page, driven over the DevTools protocol (a WebSocket, no driver or package): navigate,
/// evaluate JavaScript, block URLs, take screenshots, and collect every console error and uncaught exception the page
/// produces. Each session has its own browser process and a fresh profile directory, both removed on dispose.
/// </summary>
public sealed class ChromiumSession : IAsyncDisposable
{
    /// <summary>Where Debian's package puts the browser (override with the <c>CHROMIUM</c> environment variable).</summary>
    public const string DefaultExecutable = "/usr/bin/chromium";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _profile;
    private readonly ConcurrentQueue<string> _browserLog;
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentQueue<string> _messages = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiver;
    private readonly int _width;
    private TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextId;

    private ChromiumSession(Process process, string profile, ConcurrentQueue<string> browserLog, ClientWebSocket socket, int width)
    {
        _width = width;
        _process = process;
        _profile = profile;
        _browserLog = browserLog;
        _socket = socket;
        _receiver = Task.Run(ReceiveAsync);
    }

    /// <summary>Console errors (console.error, console.assert, error log entries such as failed loads and CSP violations) and uncaught exceptions, in order.</summary>
    public IReadOnlyList<string> ConsoleErrors => [.. _errors];

    /// <summary>Every console message and log entry, in order (for diagnostics).</summary>
    public IReadOnlyList<string> ConsoleMessages => [.. _messages];

    /// <summary>Starts a browser with a <paramref name="width"/> × <paramref name="height"/> viewport showing about:blank.</summary>
    /// <exception cref="InvalidOperationException">Chromium is not installed or did not start.</exception>
    public static async Task<ChromiumSession> StartAsync(int width = 1440, int height = 900)
    {
        var executable = Environment.GetEnvironmentVariable("CHROMIUM") is { Length: > 0 } custom ? custom : DefaultExecutable;
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Chromium is not installed ({executable} is missing): run ./ticker test to install it.");
        }

        var profile = Directory.CreateTempSubdirectory("ticker-chromium-").FullName;
        var info = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        string[] arguments =
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--user-data-dir=" + profile, "--remote-debugging-port=0",
            string.Create(CultureInfo.InvariantCulture, $"--window-size={width},{height}"), "about:blank",
        ];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var log = new ConcurrentQueue<string>();
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {executable}.");
        process.ErrorDataReceived += (_, e) => Remember(log, e.Data);
        process.OutputDataReceived += (_, e) => Remember(log, e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        ClientWebSocket? socket = null;
        ChromiumSession? session = null;
        try
        {
            var (port, _) = await ReadDevToolsPortAsync(process, profile, log);
            var pageId = await FindPageAsync(port);
            socket = new ClientWebSocket();
            using (var connect = new CancellationTokenSource(StartTimeout))
            {
                await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/devtools/page/{pageId}"), connect.Token);
            }

            session = new ChromiumSession(process, profile, log, socket, width);
            await session.SendAsync("Page.enable");
            await session.SendAsync("Runtime.enable");
            await session.SendAsync("Log.enable");
            await session.SendAsync("Emulation.setDeviceMetricsOverride", new { width, height, deviceScaleFactor = 1, mobile = false });
            return session;
        }
        catch
        {
            if (session is not null)
            {
                await session.DisposeAsync();
            }
            else
            {
                socket?.Dispose();
                await StopAsync(process, profile);
            }

            throw;
        }
    }

    /// <summary>Loads <paramref name="url"/> and waits for its load event.</summary>
    public async Task NavigateAsync(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _loaded = loaded;
        var result = await SendAsync("Page.navigate", new { url = url.AbsoluteUri });
        if (result.TryGetProperty("errorText", out var error) && error.GetString() is { Length: > 0 } text)
        {
            throw new InvalidOperationException($"Chromium could not load {url}: {text}");
        }

        await loaded.Task.WaitAsync(CommandTimeout);
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page (promises awaited) and returns its JSON value (undefined → null).</summary>
    /// <exception cref="InvalidOperationException">The expression threw.</exception>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true });
        if (result.TryGetProperty("exceptionDetails", out var details))
        {
            throw new InvalidOperationException($"'{expression}' threw: {Describe(details)}");
        }

        return result.GetProperty("result").TryGetProperty("value", out var value) ? value : default;
    }

    /// <summary>Polls <paramref name="predicate"/> (a JavaScript expression) until it is true; fails naming <paramref name="what"/>.</summary>
    public async Task WaitForAsync(string predicate, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var value = await EvaluateAsync($"(() => {{ try {{ return !!({predicate}); }} catch {{ return false; }} }})()");
            if (value.ValueKind == JsonValueKind.True)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting until {what}; console: {string.Join(" | ", ConsoleMessages)}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Makes the browser fail every request whose URL matches one of <paramref name="patterns"/> (<c>*</c> wildcards).</summary>
    public async Task BlockUrlsAsync(params string[] patterns)
    {
        await SendAsync("Network.enable");
        await SendAsync("Network.setBlockedURLs", new { urls = patterns });
    }

    /// <summary>A PNG of the whole page (beyond the viewport).</summary>
    public async Task<byte[]> ScreenshotAsync()
    {
        var metrics = await SendAsync("Page.getLayoutMetrics");
        var size = metrics.GetProperty("cssContentSize");
        // Capturing beyond the viewport drops the scroll bar, so the page is laid out at the full viewport width.
        var width = Math.Max(_width, size.GetProperty("width").GetDouble());
        var clip = new { x = 0, y = 0, width, height = size.GetProperty("height").GetDouble(), scale = 1 };
        var shot = await SendAsync("Page.captureScreenshot", new { format = "png", captureBeyondViewport = true, clip });
        return Convert.FromBase64String(shot.GetProperty("data").GetString()!);
    }

    /// <summary>Saves a screenshot as <c>artifacts/test-screenshots/<paramref name="fileName"/></c> under the repository root; returns the path.</summary>
    public async Task<string> SaveScreenshotAsync(string fileName)
    {
        var directory = Path.Combine(RepositoryRoot(), "artifacts", "test-screenshots");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, fileName);
        await File.WriteAllBytesAsync(path, await ScreenshotAsync());
        return path;
    }

    /// <summary>Sends one DevTools command and returns its result.</summary>
    /// <exception cref="InvalidOperationException">Chromium answered with an error.</exception>
    public async Task<JsonElement> SendAsync(string method, object? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var message = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["id"] = id,
            ["method"] = method,
            ["params"] = parameters ?? new object(),
        });
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, _stop.Token);
        }
        finally
        {
            _sendLock.Release();
        }

        try
        {
            return await reply.Task.WaitAsync(CommandTimeout);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Closes the connection, ends the browser process and removes its profile.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Abort();
        await _receiver.ConfigureAwait(false);
        _socket.Dispose();
        await StopAsync(_process, _profile);
        _stop.Dispose();
        _sendLock.Dispose();
    }

    /// <summary>The repository root: <c>TICKER_ROOT</c>, else the nearest folder above the test binaries holding Orleans.sln.</summary>
    public static string RepositoryRoot()
    {
        if (Environment.GetEnvironmentVariable("TICKER_ROOT") is { Length: > 0 } root)
        {
            return root;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Orleans.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Orleans.sln above {AppContext.BaseDirectory}; set TICKER_ROOT.");
    }

    private static void Remember(ConcurrentQueue<string> log, string? line)
    {
        if (line is null)
        {
            return;
        }

        log.Enqueue(line);
        while (log.Count > 40)
        {
            log.TryDequeue(out _);
        }
    }

    // Chromium writes the port it chose, and the browser's WebSocket path, to this file once it listens.
    private static async Task<(int Port, string BrowserPath)> ReadDevToolsPortAsync(Process process, string profile, ConcurrentQueue<string> log)
    {
        var file = Path.Combine(profile, "DevToolsActivePort");
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Chromium exited with code {process.ExitCode} at start-up: {string.Join(Environment.NewLine, log)}");
            }

            try
            {
                var lines = await File.ReadAllLinesAsync(file);
                if (lines.Length >= 2 && int.TryParse(lines[0], CultureInfo.InvariantCulture, out var port) && port > 0)
                {
                    return (port, lines[1]);
                }
            }
            catch (IOException)
            {
                // Not written yet.
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"Chromium did not open its DevTools port within {StartTimeout.TotalSeconds} s: {string.Join(Environment.NewLine, log)}");
    }

    private static async Task<string> FindPageAsync(int port)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = StartTimeout };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            using var targets = JsonDocument.Parse(await http.GetStringAsync("json/list"));
            foreach (var target in targets.RootElement.EnumerateArray())
            {
                if (target.GetProperty("type").GetString() == "page")
                {
                    return target.GetProperty("id").GetString()!;
                }
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException("Chromium opened no page.");
    }

    private static async Task StopAsync(Process process, string profile)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(wait.Token);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or it did not die in time; nothing more to do from a test.
        }
        finally
        {
            process.Dispose();
        }

        for (var attempt = 0; attempt < 5 && Directory.Exists(profile); attempt++)
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
                await Task.Delay(200);
            }
            catch (UnauthorizedAccessException)
            {
                await Task.Delay(200);
            }
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    Dispatch(message.GetBuffer().AsMemory(0, (int)message.Length));
                    message.SetLength(0);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // Closing.
        }
        finally
        {
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new InvalidOperationException(
                    $"Chromium closed the DevTools connection; its last output: {string.Join(Environment.NewLine, _browserLog)}"));
            }
        }
    }

    private void Dispatch(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("id", out var id))
        {
            if (_pending.TryGetValue(id.GetInt32(), out var reply))
            {
                if (root.TryGetProperty("error", out var error))
                {
                    reply.TrySetException(new InvalidOperationException($"DevTools error: {error.GetProperty("message").GetString()}"));
                }
                else
                {
                    reply.TrySetResult(root.GetProperty("result").Clone());
                }
            }

            return;
        }

        var parameters = root.TryGetProperty("params", out var p) ? p : default;
        switch (root.GetProperty("method").GetString())
        {
            case "Page.loadEventFired":
                _loaded.TrySetResult();
                break;
            case "Runtime.consoleAPICalled":
                var type = parameters.GetProperty("type").GetString();
                var text = $"console.{type}: {string.Join(' ', parameters.GetProperty("args").EnumerateArray().Select(Describe))}";
                _messages.Enqueue(text);
                if (type is "error" or "assert")
                {
                    _errors.Enqueue(text);
                }

                break;
            case "Runtime.exceptionThrown":
                var exception = "uncaught: " + Describe(parameters.GetProperty("exceptionDetails"));
                _messages.Enqueue(exception);
                _errors.Enqueue(exception);
                break;
            case "Log.entryAdded":
                var entry = parameters.GetProperty("entry");
                var level = entry.GetProperty("level").GetString();
                var line = $"{level} ({entry.GetProperty("source").GetString()}): {entry.GetProperty("text").GetString()}"
                    + (entry.TryGetProperty("url", out var url) ? $" [{url.GetString()}]" : string.Empty);
                _messages.Enqueue(line);
                if (level == "error")
                {
                    _errors.Enqueue(line);
                }

                break;
        }
    }

    // A RemoteObject or ExceptionDetails as text.
    private static string Describe(JsonElement value)
    {
        if (value.TryGetProperty("exception", out var exception))
        {
            return Describe(exception);
        }

        if (value.TryGetProperty("description", out var description))
        {
            return description.GetString() ?? string.Empty;
        }

        if (value.TryGetProperty("value", out var plain))
        {
            return plain.ValueKind == JsonValueKind.String ? plain.GetString()! : plain.GetRawText();
        }

        return value.TryGetProperty("text", out var text) ? text.GetString() ?? string.Empty : value.GetRawText();
    }
}
