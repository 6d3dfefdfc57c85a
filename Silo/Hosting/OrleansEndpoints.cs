namespace Ticker.Silo.Hosting;

/// <summary>The ports the embedded silo listens on (chosen at start-up when configured as 0).</summary>
/// <param name="SiloPort">Silo-to-silo traffic.</param>
/// <param name="GatewayPort">Orleans clients, e.g. <c>TickerGrainClient.ConnectAsync</c>.</param>
public sealed record OrleansEndpoints(int SiloPort, int GatewayPort);
