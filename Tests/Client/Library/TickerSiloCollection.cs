namespace Ticker.Tests.Client.Library;

/// <summary>The tests that read the state one <see cref="TickerSiloFixture"/> produced (they run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class TickerSiloCollection : ICollectionFixture<TickerSiloFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "ticker-silo-on-redis";
}
