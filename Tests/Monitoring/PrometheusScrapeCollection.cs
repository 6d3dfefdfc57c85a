namespace Ticker.Tests.Monitoring;

/// <summary>The tests that share one <see cref="PrometheusScrapeFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PrometheusScrapeCollection : ICollectionFixture<PrometheusScrapeFixture>
{
    public const string Name = "Prometheus scraping a metrics app";
}
