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

    /// <summary>
    /// Serves TLS only: the fixture makes a self-signed certificate for <c>localhost</c>/<c>127.0.0.1</c>
    /// (<see cref="RedisServerFixture.TlsCertificate"/>) and listens with <c>--tls-port</c> on
    /// <see cref="RedisServerFixture.Port"/> (no plain port; clients need no certificate of their own).
    /// </summary>
    public bool Tls { get; set; }

    /// <summary>More <c>redis-server</c> arguments, for example <c>["--maxmemory", "64mb"]</c>.</summary>
    public IList<string> ExtraArguments { get; } = [];
}
