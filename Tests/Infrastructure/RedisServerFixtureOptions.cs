namespace Ticker.Tests.Infrastructure;

/// <summary>How a <see cref="RedisServerFixture"/> starts its redis-server.</summary>
public sealed class RedisServerFixtureOptions
{
    /// <summary>
    /// Turns on the append-only file (<c>--appendonly yes --appendfsync always</c>), so data survives
    /// <see cref="RedisServerFixture.RestartAsync"/> and even <see cref="RedisServerFixture.Kill"/>. Off by default
    /// (<c>--save "" --appendonly no</c>: nothing is persisted).
    /// </summary>
    public bool AppendOnly { get; set; }

    /// <summary>The password of the default user (<c>--requirepass</c>); none when <see langword="null"/>.</summary>
    public string? RequirePass { get; set; }

    /// <summary>More <c>redis-server</c> arguments, for example <c>["--maxmemory", "64mb"]</c>.</summary>
    public IList<string> ExtraArguments { get; } = [];
}
