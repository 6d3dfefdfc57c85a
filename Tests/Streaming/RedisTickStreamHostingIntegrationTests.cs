using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Ticker.Grains.Interfaces.Market;
using Ticker.Streaming.Hosting;
using Ticker.Streaming.Options;

namespace Ticker.Tests.Streaming;

public sealed class RedisTickStreamHostingIntegrationTests
{
    [Fact]
    public async Task A_silo_with_bad_options_stops_at_start_up_naming_the_property()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(FreePort(), FreePort())
            .AddRedisTickStreams(ITickPartitionGrain.StreamProvider, options =>
            {
                options.ConnectionString = "127.0.0.1:1";
                options.QueueCount = 0;
            }));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("RedisTickStreamOptions.QueueCount (provider 'ticks') is 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_pulling_agent_polls_at_the_provider_s_period()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(FreePort(), FreePort())
            .AddRedisTickStreams(ITickPartitionGrain.StreamProvider, options =>
            {
                options.ConnectionString = "127.0.0.1:1";
                options.PollPeriod = TimeSpan.FromMilliseconds(3);
            }));
        using var host = builder.Build();

        var agent = host.Services.GetRequiredService<IOptionsMonitor<StreamPullingAgentOptions>>().Get(ITickPartitionGrain.StreamProvider);

        Assert.Equal(TimeSpan.FromMilliseconds(3), agent.GetQueueMsgsTimerPeriod);
        Assert.Equal(RedisTickStreamOptions.DefaultQueueCount, host.Services.GetRequiredService<IOptionsMonitor<RedisTickStreamOptions>>().Get(ITickPartitionGrain.StreamProvider).QueueCount);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
