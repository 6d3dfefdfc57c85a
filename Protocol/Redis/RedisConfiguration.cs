using System.Globalization;
using System.Net;
using StackExchange.Redis;

namespace Ticker.Protocol.Redis;

/// <summary>
/// Connection strings in StackExchange.Redis' own format (<c>host:port,password=…,ssl=true</c>), parsed the same way
/// by every process, and described without their secrets.
/// </summary>
public static class RedisConfiguration
{
    /// <summary>
    /// Parses <paramref name="connectionString"/> for a long-running process: the multiplexer starts even while Redis
    /// is down (<c>abortConnect=false</c>) and connects when it is back, while callers retry; its socket I/O runs on the
    /// .NET thread pool (<see cref="SocketManager.ThreadPool"/>) instead of StackExchange.Redis' own pool of dedicated
    /// threads. Every caller of the service is asynchronous, so the thread pool is never starved by blocked callers,
    /// and handing each reply from a dedicated thread to the thread pool cost more than the work on a small machine:
    /// on 2 cores the load test's baseline.max went from 72–73 k to 109–144 k ticks/s (PERFORMANCE.md).
    /// </summary>
    /// <param name="connectionString">For example <c>127.0.0.1:6379</c> or <c>redis:6380,password=…,ssl=true</c>.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException">The string is malformed or names an unknown option.</exception>
    public static ConfigurationOptions ParseForService(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.SocketManager = SocketManager.ThreadPool;
        return options;
    }

    /// <summary>Creates the process's one multiplexer for a long-running process (see <see cref="ParseForService"/>).</summary>
    /// <param name="connectionString">The connection string.</param>
    /// <returns>The multiplexer, connected or still connecting.</returns>
    public static IConnectionMultiplexer ConnectForService(string connectionString) =>
        ConnectionMultiplexer.Connect(ParseForService(connectionString));

    /// <summary>Why <paramref name="connectionString"/> cannot be used (one line naming <c>Redis:ConnectionString</c>), or null when it can.</summary>
    /// <param name="connectionString">The connection string from configuration or <c>--redis</c>.</param>
    /// <returns>The reason, or null.</returns>
    public static string? Check(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return "Redis:ConnectionString is required on Redis (e.g. 127.0.0.1:6379 or host:6379,password=…,ssl=true)";
        }

        try
        {
            return ConfigurationOptions.Parse(connectionString).EndPoints.Count == 0 ? "Redis:ConnectionString names no host:port" : null;
        }
        catch (ArgumentException ex)
        {
            return $"Redis:ConnectionString is not valid: {ex.Message}";
        }
    }

    /// <summary>A connection string's endpoints (see <see cref="Describe(ConfigurationOptions)"/>); never its password.</summary>
    /// <param name="connectionString">The connection string, possibly missing or malformed.</param>
    /// <returns>The description, <c>(none)</c> or <c>(not valid)</c>.</returns>
    public static string Describe(string? connectionString)
    {
        if (connectionString is null)
        {
            return "(none)";
        }

        try
        {
            return Describe(ConfigurationOptions.Parse(connectionString));
        }
        catch (ArgumentException)
        {
            return "(not valid)";
        }
    }

    /// <summary>The endpoints, as <c>host:port</c> joined by commas: what logs and health reports may show (no password).</summary>
    /// <param name="options">The options.</param>
    /// <returns>The description.</returns>
    public static string Describe(ConfigurationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var endpoints = new List<string>(options.EndPoints.Count);
        foreach (var endpoint in options.EndPoints)
        {
            endpoints.Add(Describe(endpoint));
        }

        return string.Join(',', endpoints);
    }

    /// <summary>An endpoint as <c>host:port</c>.</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <returns>The text.</returns>
    public static string Describe(EndPoint endpoint) => endpoint switch
    {
        DnsEndPoint dns => string.Create(CultureInfo.InvariantCulture, $"{dns.Host}:{dns.Port}"),
        _ => endpoint.ToString() ?? string.Empty,
    };
}
