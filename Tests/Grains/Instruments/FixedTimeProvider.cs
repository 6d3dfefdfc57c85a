namespace Ticker.Tests.Grains.Instruments;

/// <summary>A clock that stands still at one instant.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
