using Microsoft.Extensions.Options;
using Ticker.Protocol.Resp;
using Ticker.Silo.Options;

namespace Ticker.Silo.Transports.Redis;

/// <summary>Validates <see cref="RedisTransportOptions"/>; never echoes the connection string (it may hold a password).</summary>
public sealed class RedisTransportOptionsValidator : IValidateOptions<RedisTransportOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RedisTransportOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add("Redis:ConnectionString is required for the Redis transport (e.g. 127.0.0.1:6379)");
        }
        else
        {
            try
            {
                RedisConnectionOptions.Parse(options.ConnectionString).Validate();
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
            {
                errors.Add($"Redis:ConnectionString is not valid: {ex.Message}");
            }
        }

        OptionChecks.Range(errors, "Redis:StreamMaxLength", options.StreamMaxLength, 100, 10_000_000);
        OptionChecks.Range(errors, "Redis:MaxBacklog", options.MaxBacklog, 10, options.StreamMaxLength - 1);
        OptionChecks.Range(errors, "Redis:ReadCount", options.ReadCount, 1, 10_000);
        return OptionChecks.Result(errors);
    }
}
