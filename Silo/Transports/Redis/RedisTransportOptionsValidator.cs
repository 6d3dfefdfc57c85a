using Microsoft.Extensions.Options;

using Ticker.Protocol.Redis;

namespace Ticker.Silo.Transports.Redis;

/// <summary>Validates <see cref="RedisTransportOptions"/>; never echoes the connection string (it may hold a password).</summary>
public sealed class RedisTransportOptionsValidator : IValidateOptions<RedisTransportOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RedisTransportOptions options) =>
        RedisConfiguration.Check(options.ConnectionString) is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
}
