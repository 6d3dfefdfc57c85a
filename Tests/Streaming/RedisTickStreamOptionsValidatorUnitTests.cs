using Ticker.Streaming.Options;

namespace Ticker.Tests.Streaming;

public sealed class RedisTickStreamOptionsValidatorUnitTests
{
    private readonly RedisTickStreamOptionsValidator _validator = new();

    [Fact]
    public void The_defaults_are_valid() => Assert.True(_validator.Validate("ticks", new RedisTickStreamOptions()).Succeeded);

    [Fact]
    public void Trimming_below_twice_the_backlog_bound_is_refused_naming_the_property_and_range()
    {
        var result = _validator.Validate("ticks", new RedisTickStreamOptions { MaxBacklog = 1000, MaxStreamLength = 1500 });

        Assert.True(result.Failed);
        Assert.Contains("MaxStreamLength (provider 'ticks') is 1500; it must be between 2000 and", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_out_of_range_value_is_named()
    {
        var result = _validator.Validate("ticks", new RedisTickStreamOptions
        {
            QueueCount = 0,
            ReadCount = 0,
            PollPeriod = TimeSpan.Zero,
            ClaimMinIdle = TimeSpan.FromSeconds(-1),
            ConnectionString = " ",
        });

        foreach (var property in new[] { "QueueCount", "ReadCount", "PollPeriod", "ClaimMinIdle", "ConnectionString" })
        {
            Assert.Contains($"RedisTickStreamOptions.{property}", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_password_is_not_printed() =>
        Assert.DoesNotContain("s3cret", new RedisTickStreamOptions { ConnectionString = "127.0.0.1:6379,password=s3cret" }.ToString(), StringComparison.Ordinal);
}
