using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Ticker.Tests.Infrastructure;

/// <summary>
/// A real <c>redis-server</c> (the Debian package's <c>/usr/bin/redis-server</c>) on a free loopback port with a
/// temporary data directory, for integration tests.
/// </summary>
/// <remarks>
/// <para>As an xunit fixture (<see cref="RedisServerCollection"/>, or <c>IClassFixture&lt;RedisServerFixture&gt;</c>)
/// it starts with the default <see cref="RedisServerFixtureOptions"/> (<c>--save "" --appendonly no</c>). For a
/// server of its own, with other options, a test calls <see cref="StartNewAsync"/> and disposes it.</para>
/// <para>The server can be stopped (<see cref="StopAsync"/>, SIGTERM: a clean shutdown), killed (<see cref="Kill"/>,
/// SIGKILL) and started again on the same port and data directory (<see cref="StartAsync"/>,
/// <see cref="RestartAsync"/>), so reconnection and persistence can be tested. <see cref="SetPasswordAsync"/> and
/// <see cref="AddAclUserAsync"/> configure authentication at run time (through <c>redis-cli</c>);
/// <see cref="RedisServerFixtureOptions.Tls"/> serves TLS with a self-signed certificate.</para>
/// <para>When redis-server is missing the fixture fails with a message saying to run <c>./ticker test</c>, which
/// installs it. The server's own log is kept in <see cref="Log"/> and quoted when it fails to start.</para>
/// </remarks>
public sealed class RedisServerFixture : IAsyncLifetime, IAsyncDisposable
{
    /// <summary>The address the server listens on.</summary>
    public const string Host = "127.0.0.1";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    private readonly RedisServerFixtureOptions _options;
    private readonly StringBuilder _log = new();
    private readonly Lock _logLock = new();
    private Process? _process;
    private string? _password;

    /// <summary>Creates a fixture with the default options (xunit calls this; <see cref="InitializeAsync"/> starts it).</summary>
    public RedisServerFixture()
        : this(new RedisServerFixtureOptions())
    {
    }

    // xunit allows a fixture one public constructor; other options go through StartNewAsync.
    private RedisServerFixture(RedisServerFixtureOptions options)
    {
        _options = options;
        _password = options.RequirePass;
        DataDirectory = Directory.CreateTempSubdirectory("ticker-redis-").FullName;
        Port = FreePort();
        if (options.Tls)
        {
            TlsCertificate = CreateCertificate(DataDirectory);
        }
    }

    /// <summary>The TCP port (fixed for the fixture's life, kept across restarts).</summary>
    public int Port { get; }

    /// <summary>The server's working directory (AOF and RDB files live here; deleted on dispose).</summary>
    public string DataDirectory { get; }

    /// <summary>The server's self-signed certificate when it serves TLS (trust it by thumbprint), otherwise <see langword="null"/>.</summary>
    public X509Certificate2? TlsCertificate { get; }

    /// <summary>
    /// A connection string for <c>RedisConnectionOptions.Parse</c>: <c>127.0.0.1:PORT</c>, plus
    /// <c>,password=…</c> while the default user has a password and <c>,ssl=true,sslHost=localhost</c> with TLS
    /// (the certificate still has to be trusted; see <see cref="TlsCertificate"/>).
    /// </summary>
    public string ConnectionString =>
        $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}"
        + (_password is null ? string.Empty : $",password={_password}")
        + (_options.Tls ? ",ssl=true,sslHost=localhost" : string.Empty);

    /// <summary>Whether the server process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Everything the server has logged so far (all runs).</summary>
    public string Log
    {
        get
        {
            lock (_logLock)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts a server of its own for one test (dispose it at the end).</summary>
    /// <param name="options">How to run it; the defaults when <see langword="null"/>.</param>
    /// <returns>The running server.</returns>
    public static async Task<RedisServerFixture> StartNewAsync(RedisServerFixtureOptions? options = null)
    {
        var fixture = new RedisServerFixture(options ?? new RedisServerFixtureOptions());
        try
        {
            await fixture.StartAsync();
            return fixture;
        }
        catch
        {
            await fixture.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public Task InitializeAsync() => StartAsync();

    /// <summary>Starts the server (again) on <see cref="Port"/> and <see cref="DataDirectory"/> and waits until it answers.</summary>
    /// <returns>A task that completes when the server accepts commands.</returns>
    /// <exception cref="InvalidOperationException">redis-server is missing, or did not start.</exception>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        var start = new ProcessStartInfo(FindRedisServer())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = DataDirectory,
        };
        foreach (var arg in Arguments())
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => AppendLog(e.Data);
        process.ErrorDataReceived += (_, e) => AppendLog(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException("redis-server did not start.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilReadyAsync(process);
    }

    /// <summary>Stops the server cleanly (SIGTERM; with append-only on, the AOF is flushed) and waits for it to exit.</summary>
    /// <returns>A task that completes when the process has exited.</returns>
    public async Task StopAsync()
    {
        var process = _process;
        if (process is null || process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!)
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Kills the server at once (SIGKILL): no shutdown, connections drop as if the machine died.</summary>
    public void Kill()
    {
        var process = _process;
        if (process is null || process.HasExited)
        {
            return;
        }

        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    /// <summary>Stops the server cleanly and starts it again on the same port and data directory.</summary>
    /// <returns>A task that completes when the server accepts commands again.</returns>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    /// <summary>Runs <c>redis-cli</c> against the server (authenticated as the default user when it has a password).</summary>
    /// <param name="args">The command and its arguments, for example <c>"FLUSHALL"</c>.</param>
    /// <returns>redis-cli's standard output, trimmed.</returns>
    /// <exception cref="InvalidOperationException">redis-cli failed or printed an error.</exception>
    public async Task<string> CliAsync(params string[] args)
    {
        var start = new ProcessStartInfo("redis-cli")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-h");
        start.ArgumentList.Add(Host);
        start.ArgumentList.Add("-p");
        start.ArgumentList.Add(Port.ToString(CultureInfo.InvariantCulture));
        if (_options.Tls)
        {
            start.ArgumentList.Add("--tls");
            start.ArgumentList.Add("--insecure");
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (_password is not null)
        {
            // Through the environment rather than -a, which redis-cli warns about.
            start.Environment["REDISCLI_AUTH"] = _password;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("redis-cli did not start.");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        output = output.Trim();
        if (process.ExitCode != 0 || output.StartsWith("ERR", StringComparison.Ordinal) || output.StartsWith("(error)", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"redis-cli {args.FirstOrDefault()} failed ({process.ExitCode}): {output} {error}".Trim());
        }

        return output;
    }

    /// <summary>Sets (or with <see langword="null"/>, removes) the default user's password (<c>CONFIG SET requirepass</c>).</summary>
    /// <param name="password">The new password.</param>
    /// <returns>A task that completes when the server has it.</returns>
    public async Task SetPasswordAsync(string? password)
    {
        await CliAsync("CONFIG", "SET", "requirepass", password ?? string.Empty);
        _password = password;
    }

    /// <summary>Creates (or replaces) an ACL user (<c>ACL SETUSER user reset on &gt;password rules…</c>).</summary>
    /// <param name="user">The user name.</param>
    /// <param name="password">Its password.</param>
    /// <param name="rules">Its permissions; all keys, channels and commands when none are given.</param>
    /// <returns>A task that completes when the server has the user.</returns>
    public Task AddAclUserAsync(string user, string password, params string[] rules)
    {
        string[] args = ["ACL", "SETUSER", user, "reset", "on", ">" + password, .. rules.Length == 0 ? ["~*", "&*", "+@all"] : rules];
        return CliAsync(args);
    }

    /// <summary>Deletes every key in every database.</summary>
    /// <returns>A task that completes when done.</returns>
    public Task FlushAllAsync() => CliAsync("FLUSHALL");

    /// <summary>Kills the server and deletes the data directory.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        _process = null;
        TlsCertificate?.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    private static string FindRedisServer()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(Path.PathSeparator).Append("/usr/bin"))
        {
            var candidate = Path.Combine(directory, "redis-server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("redis-server is not installed (looked on PATH and in /usr/bin): run ./ticker test to install it.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private List<string> Arguments()
    {
        var port = Port.ToString(CultureInfo.InvariantCulture);
        List<string> args = _options.Tls
            ?
            [
                "--port", "0",
                "--tls-port", port,
                "--tls-cert-file", Path.Combine(DataDirectory, "tls.crt"),
                "--tls-key-file", Path.Combine(DataDirectory, "tls.key"),
                "--tls-auth-clients", "no",
            ]
            : ["--port", port];
        args.AddRange(
        [
            "--bind", Host,
            "--dir", DataDirectory,
            "--daemonize", "no",
            "--protected-mode", "no",
            "--logfile", string.Empty,
            "--save", string.Empty,
        ]);
        if (_options.AppendOnly)
        {
            args.AddRange(["--appendonly", "yes", "--appendfsync", "always"]);
        }
        else
        {
            args.AddRange(["--appendonly", "no"]);
        }

        if (_password is not null)
        {
            args.AddRange(["--requirepass", _password]);
        }

        args.AddRange(_options.ExtraArguments);
        return args;
    }

    private async Task WaitUntilReadyAsync(Process process)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {process.ExitCode} at start-up. Its log:\n{Log}");
            }

            if (await AnswersAsync())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"redis-server did not answer on port {Port} within {StartTimeout.TotalSeconds} s. Its log:\n{Log}");
    }

    // Ready when PING is answered with anything but LOADING (NOAUTH counts: the server is up).
    private async Task<bool> AnswersAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(Host, Port, timeout.Token);
            Stream stream = client.GetStream();
            if (_options.Tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, timeout.Token);
                stream = ssl;
            }

            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return read > 0 && !Encoding.ASCII.GetString(buffer, 0, read).StartsWith("-LOADING", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or AuthenticationException)
        {
            return false;
        }
    }

    // A self-signed certificate for localhost and 127.0.0.1, written where redis-server reads it.
    private static X509Certificate2 CreateCertificate(string directory)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        File.WriteAllText(Path.Combine(directory, "tls.crt"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "tls.key"), key.ExportPkcs8PrivateKeyPem());
        return certificate;
    }

    private void AppendLog(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            _log.AppendLine(line);
        }
    }
}
