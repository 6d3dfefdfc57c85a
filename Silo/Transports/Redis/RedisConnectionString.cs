using StackExchange.Redis;

namespace Ticker.Silo.Transports.Redis;

/// <summary>StackExchange.Redis connection strings: checked at start-up, never printed with their password.</summary>
public static class RedisConnectionString
{
    /// <summary>Why <paramref name="connectionString"/> cannot be used (one line), or null when it can.</summary>
    public static string? Check(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return "Redis:ConnectionString is required on Redis (e.g. 127.0.0.1:6379 or host:6379,password=…,ssl=true)";
        }

        try
        {
            var options = ConfigurationOptions.Parse(connectionString);
            return options.EndPoints.Count == 0 ? "Redis:ConnectionString names no host:port" : null;
        }
        catch (ArgumentException ex)
        {
            return $"Redis:ConnectionString is not valid: {ex.Message}";
        }
    }

    /// <summary>The connection string with its password replaced by <c>***</c>.</summary>
    public static string Redact(string? connectionString)
    {
        if (connectionString is null)
        {
            return "(none)";
        }

        try
        {
            return ConfigurationOptions.Parse(connectionString).ToString(includePassword: false);
        }
        catch (ArgumentException)
        {
            return "(not valid)";
        }
    }
}
