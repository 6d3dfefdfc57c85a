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
    /// is down (<c>abortConnect=false</c>) and connects when it is back, while callers retry.
    /// </summary>
    /// <param name="connectionString">For example <c>127.0.0.1:6379</c> or <c>redis:6380,password=…,ssl=true</c>.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException">The string is malformed or names an unknown option.</exception>
    public static ConfigurationOptions ParseForService(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        return options;
    }

    /// <summary>Creates the process's one multiplexer for a long-running process (see <see cref="ParseForService"/>).</summary>
    /// <param name="connectionString">The connection string.</param>
    /// <returns>The multiplexer, connected or still connecting.</returns>
    public static IConnectionMultiplexer ConnectForService(string connectionString) =>
        ConnectionMultiplexer.Connect(ParseForService(connectionString));

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
