using Ticker.Client.Kite;
using Ticker.Grains.Instruments;

namespace Ticker.Silo.KiteMock;

/// <summary>Settings of the <see cref="KiteMockServer"/>.</summary>
public sealed class KiteMockOptions
{
    /// <summary>The default value for <see cref="Port"/>.</summary>
    public const int DefaultPort = 8765;

    /// <summary>The default value for <see cref="ApiKey"/>.</summary>
    public const string DefaultApiKey = "mock_api_key";

    /// <summary>The default value for <see cref="AccessToken"/>.</summary>
    public const string DefaultAccessToken = "mock_access_token";

    /// <summary>The default value for <see cref="Rate"/>: 5,000 instrument updates a second.</summary>
    public const double DefaultRate = 5_000;

    /// <summary>The default value for <see cref="MaxPacketsPerFrame"/>.</summary>
    public const int DefaultMaxPacketsPerFrame = 500;

    /// <summary>The default value for <see cref="TickInterval"/>: frames go out every 100 ms.</summary>
    public static readonly TimeSpan DefaultTickInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The default value for <see cref="HeartbeatInterval"/>: a 1-byte heartbeat after 1 s without a frame.</summary>
    public static readonly TimeSpan DefaultHeartbeatInterval = TimeSpan.FromSeconds(1);

    /// <summary>The loopback port to listen on; 0: any free port (see <see cref="KiteMockServer.Port"/>).</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>The only API key accepted; any other gets HTTP 403 on the upgrade.</summary>
    public string ApiKey { get; set; } = DefaultApiKey;

    /// <summary>The only access token accepted; any other gets HTTP 403 on the upgrade.</summary>
    public string AccessToken { get; set; } = DefaultAccessToken;

    /// <summary>The instrument master (null: the synthetic master of today in India).</summary>
    public InstrumentMaster? Master { get; set; }

    /// <summary>How many instruments are served (see <see cref="KiteInstrumentSelection"/>); 0: all of the master.</summary>
    public int Instruments { get; set; }

    /// <summary>Instrument updates per second over all served instruments (each update reaches every subscriber).</summary>
    public double Rate { get; set; } = DefaultRate;

    /// <summary>How often a connection is sent what changed.</summary>
    public TimeSpan TickInterval { get; set; } = DefaultTickInterval;

    /// <summary>A connection that was sent nothing for this long gets a heartbeat.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = DefaultHeartbeatInterval;

    /// <summary>The most packets in one binary frame.</summary>
    public int MaxPacketsPerFrame { get; set; } = DefaultMaxPacketsPerFrame;

    /// <summary>The most instruments one connection may subscribe (Kite's limit).</summary>
    public int MaxInstrumentsPerConnection { get; set; } = KiteOptions.MaxInstrumentsPerConnection;

    /// <summary>The most connections open at once per API key (Kite's limit); more get HTTP 429.</summary>
    public int MaxConnectionsPerApiKey { get; set; } = KiteOptions.MaxConnectionsPerAccount;

    /// <summary>The random seed of the market.</summary>
    public int Seed { get; set; } = 20251108;

    /// <inheritdoc />
    public override string ToString() =>
        $"Port={Port}, ApiKey={ApiKey}, AccessToken={KiteUrl.Redacted}, Instruments={Instruments}, Rate={Rate}, TickInterval={TickInterval}, HeartbeatInterval={HeartbeatInterval}";
}
