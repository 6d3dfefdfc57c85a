using Microsoft.Extensions.Options;

namespace Ticker.Streaming.Options;

/// <summary>Checks <see cref="RedisTickStreamOptions"/>; a failure names the property and its allowed range.</summary>
public sealed class RedisTickStreamOptionsValidator : IValidateOptions<RedisTickStreamOptions>
{
    /// <summary>The largest <see cref="RedisTickStreamOptions.QueueCount"/>.</summary>
    public const int MaxQueueCount = 1024;

    /// <summary>The largest <see cref="RedisTickStreamOptions.ReadCount"/>.</summary>
    public const int MaxReadCount = 10_000;

    /// <summary>The largest <see cref="RedisTickStreamOptions.MaxBacklog"/>.</summary>
    public const int MaxMaxBacklog = 10_000_000;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RedisTickStreamOptions options)
    {
        List<string> failures = [];
        Range(failures, nameof(options.QueueCount), options.QueueCount, 1, MaxQueueCount);
        Range(failures, nameof(options.ReadCount), options.ReadCount, 1, MaxReadCount);
        Range(failures, nameof(options.MaxBacklog), options.MaxBacklog, 1, MaxMaxBacklog);
        Range(failures, nameof(options.MaxStreamLength), (long)options.MaxStreamLength, 2L * options.MaxBacklog, int.MaxValue);
        Range(failures, nameof(options.PollPeriod), options.PollPeriod, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));
        Range(failures, nameof(options.ClaimMinIdle), options.ClaimMinIdle, TimeSpan.Zero, TimeSpan.FromHours(1));
        Range(failures, nameof(options.PendingSweepPeriod), options.PendingSweepPeriod, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        Range(failures, nameof(options.WriteTimeout), options.WriteTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        Range(failures, nameof(options.MaxRetryDelay), options.MaxRetryDelay, TimeSpan.FromMilliseconds(20), TimeSpan.FromMinutes(1));
        if (options.ConnectionString is { } connection && string.IsNullOrWhiteSpace(connection))
        {
            failures.Add($"RedisTickStreamOptions.{nameof(options.ConnectionString)} (provider '{name}') is blank: give host:port[,password=…] or leave it unset to use the container's IConnectionMultiplexer.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Range<T>(List<string> into, string property, T value, T min, T max)
            where T : IComparable<T>
        {
            if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
            {
                into.Add($"RedisTickStreamOptions.{property} (provider '{name}') is {value}; it must be between {min} and {max}.");
            }
        }
    }
}
