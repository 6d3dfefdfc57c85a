using Microsoft.Extensions.Logging;
using Ticker.Client.Ingestion;
using Ticker.Client.Recording;
using Ticker.Grains.Accounts;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Client.Kite;

/// <summary>
/// One Kite account streaming its instruments: as few connections as its instruments need (3,000 each, at most 3
/// per API key), the instruments spread evenly over them, each connection with its own <see cref="IngestWriter"/>
/// into the same tick stream and reporting to the account grain. Connections are independent: one reconnecting never
/// blocks another.
/// </summary>
public sealed class KiteAccountFeed
{
    private readonly KiteConnection[] _connections;
    private readonly uint[][] _shares;
    private readonly TickMode _mode;

    /// <summary>Creates the feed of one account.</summary>
    /// <param name="options">URL, staleness and reconnect settings.</param>
    /// <param name="credentials">The account's API key and access token source.</param>
    /// <param name="tokens">The instruments to stream (duplicates ignored); at most 9,000.</param>
    /// <param name="mode">Their mode.</param>
    /// <param name="stream">Where the ticks go.</param>
    /// <param name="accounts">The account grains (the account is registered with its connection count); null: none.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where the connections log.</param>
    /// <param name="recording">When given, every frame of every connection is recorded there.</param>
    /// <param name="createManifest">When given, called once per connection for the manifest its ingest writer fills.</param>
    /// <param name="observer">When given, hears every connection (metrics).</param>
    /// <exception cref="ArgumentException">More than 9,000 instruments.</exception>
    public KiteAccountFeed(
        KiteOptions options,
        KiteCredentials credentials,
        IReadOnlyCollection<uint> tokens,
        TickMode mode,
        ITickStreamWriter stream,
        AccountDirectory? accounts,
        TimeProvider time,
        ILogger logger,
        KiteRecordingWriter? recording = null,
        Func<FeedManifest>? createManifest = null,
        IKiteConnectionObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(stream);
        uint[] distinct = [.. tokens.Distinct()];
        if (distinct.Length > KiteOptions.MaxInstrumentsPerAccount)
        {
            throw new ArgumentException(
                $"Kite account {credentials.ApiKey}: {distinct.Length} instruments exceed the {KiteOptions.MaxInstrumentsPerAccount} one API key can stream ({KiteOptions.MaxConnectionsPerAccount} connections × {KiteOptions.MaxInstrumentsPerConnection}).",
                nameof(tokens));
        }

        AccountId = credentials.ApiKey;
        _mode = mode;
        var count = ConnectionsFor(distinct.Length);
        var grain = accounts?.GetOrAdd(AccountId, count);
        _connections = new KiteConnection[count];
        _shares = new uint[count][];
        var manifests = new List<FeedManifest>();
        for (var i = 0; i < count; i++)
        {
            var from = (int)((long)i * distinct.Length / count);
            var to = (int)((long)(i + 1) * distinct.Length / count);
            _shares[i] = distinct[from..to];
            var manifest = createManifest?.Invoke();
            if (manifest is not null)
            {
                manifests.Add(manifest);
            }

            var state = grain is not null && i < grain.Connections.Count ? grain.Connections[i] : null;
            _connections[i] = new KiteConnection(options, credentials, i, new IngestWriter(stream, manifest), state, time, logger, recording, observer);
        }

        Manifests = manifests;
    }

    /// <summary>The account id (the API key).</summary>
    public string AccountId { get; }

    /// <summary>The connections.</summary>
    public IReadOnlyList<KiteConnection> Connections => _connections;

    /// <summary>The manifests of the connections (empty without a manifest factory); their instruments are disjoint.</summary>
    public IReadOnlyList<FeedManifest> Manifests { get; }

    /// <summary>Ticks written over all connections.</summary>
    public long TicksWritten => Sum(static c => c.Ingest.TicksWritten);

    /// <summary>Binary frames received over all connections (heartbeats included).</summary>
    public long Frames => Sum(static c => c.Ingest.Frames);

    /// <summary>Heartbeats received over all connections.</summary>
    public long Heartbeats => Sum(static c => c.Ingest.Heartbeats);

    /// <summary>Malformed frames over all connections.</summary>
    public long DecodeErrors => Sum(static c => c.Ingest.TotalDecodeErrors);

    /// <summary>Connect attempts after the first, over all connections.</summary>
    public long Reconnects => Sum(static c => Math.Max(0, c.ConnectAttempts - 1));

    /// <summary>The connections needed for <paramref name="instruments"/>: one per 3,000, at least one.</summary>
    public static int ConnectionsFor(int instruments) =>
        Math.Clamp((instruments + KiteOptions.MaxInstrumentsPerConnection - 1) / KiteOptions.MaxInstrumentsPerConnection, 1, KiteOptions.MaxConnectionsPerAccount);

    /// <summary>
    /// Runs every connection until <paramref name="cancellationToken"/> is cancelled or all of them stop.
    /// </summary>
    /// <returns><see cref="KiteConnectionOutcome.CredentialsRejected"/> when Kite refused the credentials, else the
    /// first connection's outcome.</returns>
    public async Task<KiteConnectionOutcome> RunAsync(CancellationToken cancellationToken)
    {
        var runs = new Task<KiteConnectionOutcome>[_connections.Length];
        for (var i = 0; i < _connections.Length; i++)
        {
            await _connections[i].SubscribeAsync(_shares[i], _mode, cancellationToken).ConfigureAwait(false);
            runs[i] = _connections[i].RunAsync(cancellationToken);
        }

        var outcomes = await Task.WhenAll(runs).ConfigureAwait(false);
        return outcomes.Contains(KiteConnectionOutcome.CredentialsRejected) ? KiteConnectionOutcome.CredentialsRejected : outcomes[0];
    }

    private long Sum(Func<KiteConnection, long> value)
    {
        long total = 0;
        foreach (var connection in _connections)
        {
            total += value(connection);
        }

        return total;
    }
}
