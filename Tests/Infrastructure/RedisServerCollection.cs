namespace Ticker.Tests.Infrastructure;

/// <summary>
/// The xunit collection of tests that share one <see cref="RedisServerFixture"/> (one redis-server for the whole
/// collection; its tests run one after another). Use <c>[Collection(RedisServerCollection.Name)]</c> and take the
/// fixture in the test class's constructor. Tests that stop, restart or reconfigure a server should start their
/// own with <see cref="RedisServerFixture.StartNewAsync"/> instead.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RedisServerCollection : ICollectionFixture<RedisServerFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "redis-server";
}
