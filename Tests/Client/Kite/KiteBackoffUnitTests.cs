using Ticker.Client.Kite;

namespace Ticker.Tests.Client.Kite;

public sealed class KiteBackoffUnitTests
{
    private static readonly KiteBackoff Backoff = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

    [Fact]
    public void The_ceiling_doubles_from_the_initial_delay_up_to_the_cap()
    {
        Assert.Equal(TimeSpan.Zero, Backoff.Ceiling(0));
        Assert.Equal(TimeSpan.FromSeconds(1), Backoff.Ceiling(1));
        Assert.Equal(TimeSpan.FromSeconds(2), Backoff.Ceiling(2));
        Assert.Equal(TimeSpan.FromSeconds(32), Backoff.Ceiling(6));
        Assert.Equal(TimeSpan.FromSeconds(60), Backoff.Ceiling(7));
    }

    [Fact]
    public void No_attempt_number_overflows_into_a_zero_or_negative_delay()
    {
        var previous = TimeSpan.Zero;
        foreach (var attempt in Enumerable.Range(1, 2_000).Append(int.MaxValue))
        {
            var ceiling = Backoff.Ceiling(attempt);
            Assert.InRange(ceiling, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
            Assert.True(ceiling >= previous, $"attempt {attempt} shrank the delay");
            previous = ceiling;
            Assert.InRange(Backoff.Delay(attempt, 0), TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(60));
            Assert.InRange(Backoff.Delay(attempt, 0.999999), TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(60));
        }
    }

    [Theory]
    [InlineData(0.0, 16)]
    [InlineData(0.5, 24)]
    [InlineData(1.0, 32)]
    [InlineData(-3.0, 16)]
    [InlineData(7.0, 32)]
    [InlineData(double.NaN, 16)]
    public void Jitter_spreads_the_delay_between_half_and_all_of_the_ceiling(double random, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Backoff.Delay(6, random));

    [Fact]
    public void A_cap_below_the_initial_delay_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new KiteBackoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KiteBackoff(TimeSpan.Zero, TimeSpan.FromSeconds(1)));
    }
}
