using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ticker.Silo.Hosting;

namespace Ticker.Tests.Silo.Hosting;

public sealed class ConfigurationUnitTests
{
    [Theory]
    [InlineData("Batching:WindowMs", "0", "Batching:WindowMs must be between 1 and 10000 (was 0)")]
    [InlineData("Batching:MaxBatchSize", "-5", "Batching:MaxBatchSize must be between 1 and 100000 (was -5)")]
    [InlineData("Silo:ShardCount", "0", "Silo:ShardCount must be between 1 and 1024 (was 0)")]
    [InlineData("Greeks:RiskFreeRate", "5", "Greeks:RiskFreeRate must be between -0.1 and 1 (was 5)")]
    [InlineData("Grains:BarInterval", "00:00:00.5", "Grains:BarInterval must be between 00:00:01 and 1.00:00:00 (was 00:00:00.5000000)")]
    [InlineData("Feed:Rate", "-1", "Feed:Rate must be between 0 and 10000000 (was -1)")]
    public async Task A_bad_value_stops_the_host_at_start_naming_the_setting_and_its_range(string key, string value, string message)
    {
        await using var app = SiloApplication.Build(
            new Dictionary<string, string?> { [key] = value, ["Http:Url"] = "http://127.0.0.1:0" },
            static (services, configuration) => services.AddEmbeddedSilo(configuration));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(message, error.Failures);
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_is_reported_at_start()
    {
        await using var app = SiloApplication.Build(
            new Dictionary<string, string?> { ["Batching:WindowMs"] = "fast", ["Http:Url"] = "http://127.0.0.1:0" },
            static (services, configuration) => services.AddEmbeddedSilo(configuration));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());

        Assert.Contains("Batching:WindowMs", error.Message);
    }

    [Fact]
    public async Task RunAsync_returns_exit_code_2_on_bad_configuration()
    {
        var app = SiloApplication.Build(
            new Dictionary<string, string?> { ["Batching:WindowMs"] = "0", ["Http:Url"] = "http://127.0.0.1:0" },
            static (services, configuration) => services.AddEmbeddedSilo(configuration));

        Assert.Equal(2, await SiloApplication.RunAsync(app, TimeSpan.FromSeconds(1)));
    }
}
