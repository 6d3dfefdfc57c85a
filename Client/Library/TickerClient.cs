using Ticker.Grains.Interfaces.Accounts;
using System.Collections.Frozen;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Protocol.Redis;

namespace Ticker.Client.Library;

/// <summary>
/// Reads the ticker's state from Redis: instrument snapshots (<c>tick:snap:{token}</c>), option chains
/// (<c>tick:chain:{NAME}:{expiry}</c> plus the snapshots), broker accounts (<c>tick:accounts</c>) and live updates
/// (<c>tick:updates:{NAME}</c>). Thread-safe: one client serves any number of concurrent callers over one
/// StackExchange.Redis multiplexer (its own, or one the application already has).
/// </summary>
/// <remarks>
/// <para>The multiplexer reconnects by itself and holds commands issued while it is down until it is back (up to
/// its timeout). A read that fails because the connection was lost under it is sent once more, since every read is
/// idempotent; after that it fails with <see cref="RedisConnectionException"/>. Subscriptions survive reconnects:
/// the multiplexer makes them again on the new connection (updates published while Redis was unreachable are lost,
/// as pub/sub loses them).</para>
/// <para>The instrument master maps names to tokens and supplies strikes, expiries and tradingsymbols; it must be
/// the one the silo uses (by default both use the synthetic master of today's trading day).</para>
/// </remarks>
public sealed class TickerClient : IAsyncDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly bool _ownsRedis;
    private readonly InstrumentMaster _master;
    private readonly UnderlyingNames _names;
    private readonly TickerClientOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _hubGate = new(1, 1);
    private UpdateHub? _hub;
    private int _disposed;

    private TickerClient(IConnectionMultiplexer redis, bool ownsRedis, InstrumentMaster master, TickerClientOptions options, ILogger logger)
    {
        _redis = redis;
        _ownsRedis = ownsRedis;
        _master = master;
        _names = UnderlyingNames.Build(master);
        _options = options;
        _logger = logger;
    }

    /// <summary>The instrument master the client resolves names and tokens with.</summary>
    public InstrumentMaster Master => _master;

    /// <summary>The Redis endpoint, as <c>host:port</c> (several joined by commas).</summary>
    public string EndPoint => string.Join(',', Array.ConvertAll(_redis.GetEndPoints(), RedisConfiguration.Describe));

    /// <summary>Whether the multiplexer is connected.</summary>
    public bool IsConnected => _redis.IsConnected;

    /// <summary>
    /// Updates dropped because a subscription's consumer fell behind by more than
    /// <see cref="TickerClientOptions.UpdateBufferCapacity"/> (each drop discards the oldest buffered update).
    /// </summary>
    public long DroppedUpdates => _hub?.Dropped ?? 0;

    /// <summary>Published update objects that could not be parsed and were skipped.</summary>
    public long MalformedUpdates => _hub?.Malformed ?? 0;

    /// <summary>Updates buffered now over all subscriptions, waiting for their consumers (for tests and metrics).</summary>
    internal long BufferedUpdates => _hub?.Buffered ?? 0;

    /// <summary>Updates handed to subscriptions so far, before any drop (for tests and metrics).</summary>
    internal long DeliveredUpdates => _hub?.Delivered ?? 0;

    /// <summary>How many times the pub/sub connection has reconnected (0 before the first subscription).</summary>
    public long SubscriptionReconnects => _hub?.Reconnects ?? 0;

    /// <summary>Connects to Redis.</summary>
    /// <param name="redisConnectionString">
    /// StackExchange.Redis' connection string, for example <c>127.0.0.1:6379</c> or
    /// <c>redis.internal:6380,password=…,ssl=true,defaultDatabase=0</c>.
    /// </param>
    /// <param name="master">
    /// The instrument master; when <see langword="null"/>, the synthetic master of today's trading day in India, as
    /// every ticker process uses by default.
    /// </param>
    /// <param name="options">Buffering, clock and logging; the defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Abandons the attempt.</param>
    /// <returns>The connected client; disposing it closes its multiplexer.</returns>
    /// <exception cref="ArgumentException">The connection string is malformed or names an unknown option.</exception>
    /// <exception cref="RedisConnectionException">Redis could not be reached within the connect timeout, or refused the credentials.</exception>
    public static Task<TickerClient> ConnectAsync(
        string redisConnectionString,
        InstrumentMaster? master = null,
        TickerClientOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(redisConnectionString);
        return ConnectAsync(ConfigurationOptions.Parse(redisConnectionString), master, options, cancellationToken);
    }

    /// <summary>Connects to Redis (see <see cref="ConnectAsync(string, InstrumentMaster?, TickerClientOptions?, CancellationToken)"/>).</summary>
    /// <param name="redis">Where and how to connect (copied). The first attempt must succeed unless it sets <c>AbortOnConnectFail = false</c>.</param>
    /// <param name="master">The instrument master; today's synthetic master when <see langword="null"/>.</param>
    /// <param name="options">Buffering, clock and logging; the defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Abandons the attempt.</param>
    /// <returns>The connected client; disposing it closes its multiplexer.</returns>
    /// <exception cref="RedisConnectionException">Redis could not be reached within the connect timeout, or refused the credentials.</exception>
    public static async Task<TickerClient> ConnectAsync(
        ConfigurationOptions redis,
        InstrumentMaster? master = null,
        TickerClientOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(redis);
        options ??= new TickerClientOptions();
        options.Validate();
        var logger = options.LoggerFactory?.CreateLogger<TickerClient>() ?? (ILogger)NullLogger.Instance;
        master ??= InstrumentMaster.LoadOrSynthetic(null, options.TimeProvider);
        IConnectionMultiplexer multiplexer;
        try
        {
            multiplexer = await ConnectionMultiplexer.ConnectAsync(redis.Clone()).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RedisConnectionException ex)
        {
            // StackExchange.Redis' message does not always name the server: say where.
            throw new RedisConnectionException(ex.FailureType, $"Could not connect to Redis at {RedisConfiguration.Describe(redis)}: {ex.Message}", ex);
        }

        return new TickerClient(multiplexer, ownsRedis: true, master, options, logger);
    }

    /// <summary>A client over a multiplexer the application already has (one per process is the rule).</summary>
    /// <param name="redis">The multiplexer; the client does not dispose it.</param>
    /// <param name="master">The instrument master; today's synthetic master when <see langword="null"/>.</param>
    /// <param name="options">Buffering, clock and logging; the defaults when <see langword="null"/>.</param>
    /// <returns>The client.</returns>
    public static TickerClient Create(IConnectionMultiplexer redis, InstrumentMaster? master = null, TickerClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        options ??= new TickerClientOptions();
        options.Validate();
        var logger = options.LoggerFactory?.CreateLogger<TickerClient>() ?? (ILogger)NullLogger.Instance;
        return new TickerClient(redis, ownsRedis: false, master ?? InstrumentMaster.LoadOrSynthetic(null, options.TimeProvider), options, logger);
    }

    /// <summary>Reads one instrument's latest snapshot (<c>HGETALL tick:snap:{token}</c>).</summary>
    /// <param name="token">The instrument token.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The snapshot, or <see langword="null"/> when the instrument has not ticked yet (or is unknown).</returns>
    /// <exception cref="RedisConnectionException">Redis is unreachable and did not come back within the timeout.</exception>
    /// <exception cref="RedisTimeoutException">No reply within the timeout.</exception>
    public async Task<InstrumentSnapshot?> GetInstrumentAsync(uint token, CancellationToken cancellationToken = default)
    {
        var read = new SnapshotRead([token]);
        await ReadAsync(read, cancellationToken).ConfigureAwait(false);
        return read.Snapshots[0];
    }

    /// <summary>Reads an underlying index's latest snapshot (last price and the current bar).</summary>
    /// <param name="symbol">
    /// The derivatives' name (<c>NIFTY</c>, <c>BANKNIFTY</c>) or the index's tradingsymbol (<c>NIFTY 50</c>,
    /// <c>NIFTY BANK</c>), case-insensitive.
    /// </param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The snapshot, or <see langword="null"/> when the index has not ticked yet.</returns>
    /// <exception cref="ArgumentException">The master knows no such underlying.</exception>
    /// <exception cref="RedisConnectionException">Redis is unreachable and did not come back within the timeout.</exception>
    public Task<InstrumentSnapshot?> GetUnderlyingAsync(string symbol, CancellationToken cancellationToken = default) =>
        GetInstrumentAsync(ResolveUnderlying(symbol).InstrumentToken, cancellationToken);

    /// <summary>
    /// Reads the option chain of an underlying for one expiry in one round trip: the chain's sorted set
    /// (<c>ZRANGE … WITHSCORES</c>), the underlying's snapshot and every option's snapshot, pipelined.
    /// </summary>
    /// <param name="underlying">As for <see cref="GetUnderlyingAsync"/> (<c>NIFTY</c>, <c>NIFTY 50</c>, …).</param>
    /// <param name="expiry">The expiry; when <see langword="null"/>, the nearest on or after today in India.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>
    /// One row per strike, ascending: every strike the master lists for the expiry (a side Redis has no snapshot
    /// for yet is <see langword="null"/>), plus any option the sorted set holds that the master does not list.
    /// </returns>
    /// <exception cref="ArgumentException">The master knows no such underlying, or no option on it expires on <paramref name="expiry"/>.</exception>
    /// <exception cref="RedisConnectionException">Redis is unreachable and did not come back within the timeout.</exception>
    public async Task<OptionChain> GetOptionChainAsync(string underlying, DateOnly? expiry = null, CancellationToken cancellationToken = default)
    {
        var index = ResolveUnderlying(underlying);
        var date = expiry ?? NearestExpiry(index);
        var listed = _master.Options(index.InstrumentToken, date);
        var tokens = new uint[listed.Count];
        for (var i = 0; i < tokens.Length; i++)
        {
            tokens[i] = listed[i].InstrumentToken;
        }

        var read = new ChainRead(TickerKeys.Chain(_names.NameOf(index), date), index.InstrumentToken, tokens);
        await ReadAsync(read, cancellationToken).ConfigureAwait(false);
        if (listed.Count == 0 && read.Members.Count == 0)
        {
            throw new ArgumentException(
                $"No options on '{index.TradingSymbol}' expire on {date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} "
                + $"(expiries: {FormatExpiries(index)}).",
                nameof(expiry));
        }

        var rows = new SortedDictionary<double, RowBuilder>();
        for (var i = 0; i < listed.Count; i++)
        {
            var option = listed[i];
            GetRow(rows, option.Strike).Set(option.Kind, option.InstrumentToken, option.TradingSymbol, read.Options[i]);
        }

        // Options in Redis the master does not list (the writer used another master): read them in a second trip.
        var known = new HashSet<uint>(tokens);
        var extras = new List<(uint Token, double Strike)>();
        foreach (var member in read.Members)
        {
            if (!known.Contains(member.Token))
            {
                extras.Add(member);
            }
        }

        if (extras.Count > 0)
        {
            var extraRead = new SnapshotRead(extras.ConvertAll(e => e.Token));
            await ReadAsync(extraRead, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < extras.Count; i++)
            {
                if (extraRead.Snapshots[i] is { IsOption: true } snapshot)
                {
                    GetRow(rows, extras[i].Strike).Set(snapshot.Kind, extras[i].Token, null, snapshot);
                }
            }
        }

        var result = new List<ChainRow>(rows.Count);
        foreach (var (strike, row) in rows)
        {
            result.Add(new ChainRow(strike, row.Call, row.Put, row.CallToken, row.PutToken, row.CallSymbol, row.PutSymbol));
        }

        return new OptionChain(index.TradingSymbol, index.InstrumentToken, read.Underlying?.LastPrice, date, result);
    }

    /// <summary>
    /// Reads the broker accounts the feeds publish in <c>tick:accounts</c>, ordered by account id. An entry whose
    /// JSON does not parse is skipped (and logged), so one bad writer does not hide the others.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The accounts; empty when no feed has published any.</returns>
    /// <exception cref="RedisConnectionException">Redis is unreachable and did not come back within the timeout.</exception>
    public async Task<IReadOnlyList<AccountState>> GetAccountsAsync(CancellationToken cancellationToken = default)
    {
        var read = new AccountsRead();
        await ReadAsync(read, cancellationToken).ConfigureAwait(false);
        foreach (var id in read.Malformed)
        {
            _logger.MalformedAccount(id);
        }

        read.Accounts.Sort(static (a, b) => string.CompareOrdinal(a.AccountId, b.AccountId));
        return read.Accounts;
    }

    /// <summary>
    /// Streams the live updates of an underlying, its options and its futures (<c>tick:updates:{NAME}</c>): one
    /// <see cref="SnapshotUpdate"/> per instrument per flush of the silo, in the order published.
    /// </summary>
    /// <param name="underlying">As for <see cref="GetUnderlyingAsync"/> (<c>NIFTY</c>, <c>NIFTY 50</c>, …).</param>
    /// <param name="cancellationToken">Ends the enumeration (with <see cref="OperationCanceledException"/>).</param>
    /// <returns>
    /// The updates, until cancelled or the client is disposed (then the enumeration simply ends). The subscription
    /// is made when enumeration starts and dropped when it ends; it survives Redis restarts. A consumer that falls
    /// more than <see cref="TickerClientOptions.UpdateBufferCapacity"/> updates behind loses the oldest ones
    /// (counted in <see cref="DroppedUpdates"/>) rather than stalling the connection or growing memory.
    /// </returns>
    /// <exception cref="ArgumentException">The master knows no such underlying (thrown here, not when enumerating).</exception>
    public IAsyncEnumerable<SnapshotUpdate> SubscribeAsync(string underlying, CancellationToken cancellationToken = default)
    {
        var index = ResolveUnderlying(underlying);
        return ReadUpdatesAsync([TickerKeys.Updates(_names.NameOf(index))], null, cancellationToken);
    }

    /// <summary>
    /// Streams the live updates of a set of instruments: subscribes to the channels of their underlyings and keeps
    /// only their updates (see <see cref="SubscribeAsync(string, CancellationToken)"/>).
    /// </summary>
    /// <param name="tokens">Instrument tokens (options, futures or indices), all known to the master.</param>
    /// <param name="cancellationToken">Ends the enumeration (with <see cref="OperationCanceledException"/>).</param>
    /// <returns>The updates of those instruments.</returns>
    /// <exception cref="ArgumentException">The set is empty or holds a token the master does not know (thrown here).</exception>
    public IAsyncEnumerable<SnapshotUpdate> SubscribeAsync(IEnumerable<uint> tokens, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var set = new HashSet<uint>();
        var channels = new List<string>();
        foreach (var token in tokens)
        {
            if (!_master.TryGet(token, out var instrument))
            {
                throw new ArgumentException($"Instrument token {token} is not in the instrument master, so its update channel is unknown.", nameof(tokens));
            }

            if (set.Add(token))
            {
                var channel = TickerKeys.Updates(_names.NameOf(instrument));
                if (!channels.Contains(channel))
                {
                    channels.Add(channel);
                }
            }
        }

        if (set.Count == 0)
        {
            throw new ArgumentException("No instrument tokens to subscribe to.", nameof(tokens));
        }

        return ReadUpdatesAsync([.. channels], set.ToFrozenSet(), cancellationToken);
    }

    /// <summary>Ends every subscription's enumeration and closes the multiplexer if the client opened it.</summary>
    /// <returns>A task that completes when closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _hubGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_hub is not null)
            {
                await _hub.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _hubGate.Release();
        }

        if (_ownsRedis)
        {
            await _redis.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static RowBuilder GetRow(SortedDictionary<double, RowBuilder> rows, double strike)
    {
        if (!rows.TryGetValue(strike, out var row))
        {
            row = new RowBuilder();
            rows.Add(strike, row);
        }

        return row;
    }

    private async IAsyncEnumerable<SnapshotUpdate> ReadUpdatesAsync(
        string[] channels, FrozenSet<uint>? tokens, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var hub = await GetHubAsync(cancellationToken).ConfigureAwait(false);
        var subscription = await hub.AddAsync(channels, tokens, _options.UpdateBufferCapacity, cancellationToken).ConfigureAwait(false);
        try
        {
            var reader = subscription.Reader;
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (reader.TryRead(out var update))
                {
                    yield return update;
                }
            }
        }
        finally
        {
            await hub.RemoveAsync(subscription).ConfigureAwait(false);
        }
    }

    private async Task<UpdateHub> GetHubAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _hub) is { } hub)
        {
            return hub;
        }

        await _hubGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (_hub is null)
            {
                Volatile.Write(ref _hub, new UpdateHub(_redis, _master, _logger));
            }

            return _hub!;
        }
        finally
        {
            _hubGate.Release();
        }
    }

    private async Task ReadAsync(IRedisRead read, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

            // One batch: the multiplexer writes its commands together, so the read is one round trip.
            var batch = _redis.GetDatabase().CreateBatch();
            var replies = read.QueueOn(batch);
            batch.Execute();
            try
            {
                await replies.WaitAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RedisConnectionException) when (attempt == 0 && Volatile.Read(ref _disposed) == 0)
            {
                // The connection dropped under the read. Reads are idempotent: send it once more; the multiplexer
                // holds it until the connection is back (up to its timeout).
            }
        }
    }

    private Instrument ResolveUnderlying(string symbol)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        if (_master.TryGetUnderlying(symbol, out var index))
        {
            return index;
        }

        var known = new List<string>();
        foreach (var underlying in _master.Underlyings)
        {
            known.Add(_names.NameOf(underlying));
        }

        throw new ArgumentException($"Unknown underlying '{symbol}' (the instrument master knows {string.Join(", ", known)}).", nameof(symbol));
    }

    private DateOnly NearestExpiry(Instrument index)
    {
        var expiries = _master.Expiries(index.InstrumentToken);
        if (expiries.Count == 0)
        {
            throw new ArgumentException($"The instrument master lists no options on '{index.TradingSymbol}'.", "underlying");
        }

        var today = IndiaTime.DateOf(_options.TimeProvider.GetUtcNow());
        foreach (var expiry in expiries)
        {
            if (expiry >= today)
            {
                return expiry;
            }
        }

        return expiries[^1];
    }

    private string FormatExpiries(Instrument index)
    {
        var expiries = _master.Expiries(index.InstrumentToken);
        return expiries.Count == 0
            ? "none"
            : string.Join(", ", expiries.Select(e => e.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
    }

    /// <summary>The two sides of one strike while the chain is assembled.</summary>
    private sealed class RowBuilder
    {
        public InstrumentSnapshot? Call { get; private set; }

        public InstrumentSnapshot? Put { get; private set; }

        public uint CallToken { get; private set; }

        public uint PutToken { get; private set; }

        public string? CallSymbol { get; private set; }

        public string? PutSymbol { get; private set; }

        public void Set(InstrumentKind kind, uint token, string? symbol, InstrumentSnapshot? snapshot)
        {
            if (kind == InstrumentKind.Call)
            {
                CallToken = token;
                CallSymbol = symbol;
                Call = snapshot;
            }
            else
            {
                PutToken = token;
                PutSymbol = symbol;
                Put = snapshot;
            }
        }
    }
}
