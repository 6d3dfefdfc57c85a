using System.Text.Json;
using System.Threading.Channels;
using StackExchange.Redis;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Pricing;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Protocol.Redis;
using Ticker.Silo.Transports.Redis;
using Ticker.Tests.Infrastructure;
using StreamPosition = Ticker.Grains.Interfaces.Streams.StreamPosition;

namespace Ticker.Tests.Silo.Transports.Redis;

/// <summary>
/// The snapshot sink against a real redis-server: hashes, chains and updates as before, fenced on stream position
/// (a stale writer never replaces a newer snapshot, and no update older than what Redis held is published), and read back by the snapshot reader.
/// </summary>
[Collection(RedisServerCollection.Name)]
public sealed class RedisSnapshotSinkIntegrationTests : IAsyncLifetime
{
    private static readonly InstrumentMaster Master = RedisSiloHarness.Master;

    private readonly RedisServerFixture _server;
    private IConnectionMultiplexer _redis = null!;
    private ChannelMessageQueue _updates = null!;
    private readonly Channel<JsonElement[]> _published = Channel.CreateUnbounded<JsonElement[]>();

    public RedisSnapshotSinkIntegrationTests(RedisServerFixture server) => _server = server;

    public async Task InitializeAsync()
    {
        // Admin: each test starts from an empty database, and one flushes the script cache.
        _redis = await ConnectionMultiplexer.ConnectAsync(_server.ConnectionString + ",allowAdmin=true");
        await _redis.GetServer(_redis.GetEndPoints()[0]).FlushDatabaseAsync();
        _updates = await _redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(TickerKeys.Updates("NIFTY")));
        _updates.OnMessage(message =>
        {
            using var document = JsonDocument.Parse((ReadOnlyMemory<byte>)message.Message);
            _published.Writer.TryWrite([.. document.RootElement.EnumerateArray().Select(e => e.Clone())]);
        });
    }

    public async Task DisposeAsync()
    {
        await _updates.UnsubscribeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task A_snapshot_older_than_the_stored_one_is_refused_counted_and_not_published()
    {
        var sink = NewSink();
        var index = Underlying(Position(1_700_000_000_100, 0, 5), lastPrice: 24_100, ticks: 50);
        await WriteAsync(sink, [index], []);
        await AssertPublishedAsync(SyntheticMaster.Nifty50Token);

        // A paused silo resumes and flushes what it held: the index at an older position, and an option nobody wrote.
        var option = Option(0, Position(1_700_000_000_050, 0, 0));
        var stale = Underlying(Position(1_700_000_000_050, 3, 9), lastPrice: 23_900, ticks: 20);
        await WriteAsync(sink, [stale], [option]);

        Assert.Equal(1, sink.RefusedSnapshots);
        Assert.Equal(index, await ReadAsync(SyntheticMaster.Nifty50Token));
        Assert.Equal(option, await ReadAsync(option.InstrumentToken));
        await AssertPublishedAsync(option.InstrumentToken);

        // A batch refused whole publishes nothing: the next message is the next batch's.
        var later = Option(1, Position(1_700_000_000_200, 0, 0));
        await WriteAsync(sink, [stale with { Ticks = 21 }], []);
        await WriteAsync(sink, [], [later]);
        Assert.Equal(2, sink.RefusedSnapshots);
        await AssertPublishedAsync(later.InstrumentToken);
        Assert.Equal(index, await ReadAsync(SyntheticMaster.Nifty50Token));
    }

    [Fact]
    public async Task Updates_older_than_the_stored_snapshot_are_not_published_even_when_the_batch_ends_newer()
    {
        var sink = NewSink();
        await WriteAsync(sink, [Underlying(Position(1_700_000_000_100, 0, 0), lastPrice: 24_100, ticks: 48)], []);
        await NextPublishedAsync();

        // The new owner replays what the paused silo had already written, then goes past it.
        await WriteAsync(sink, [
            Underlying(Position(1_700_000_000_050, 0, 0), lastPrice: 24_050, ticks: 32),
            Underlying(Position(1_700_000_000_100, 0, 0), lastPrice: 24_100, ticks: 48),
            Underlying(Position(1_700_000_000_150, 0, 0), lastPrice: 24_150, ticks: 49),
            Underlying(Position(1_700_000_000_200, 0, 0), lastPrice: 24_200, ticks: 50),
        ], []);

        var updates = await NextPublishedAsync();
        Assert.Equal([49L, 50L], updates.Select(u => u.GetProperty("ticks").GetInt64()).ToArray());
        Assert.Equal(50, (await ReadAsync(SyntheticMaster.Nifty50Token))!.Value.Ticks);
        Assert.Equal(0, sink.RefusedSnapshots);
    }

    [Fact]
    public async Task Writing_the_same_batch_again_is_an_idempotent_rewrite_that_publishes_nothing_again()
    {
        var sink = NewSink();
        var index = Underlying(Position(1_700_000_000_100, 2, 7), lastPrice: 24_010.5, ticks: 12);
        var option = Option(0, Position(1_700_000_000_100, 2, 8));
        await WriteAsync(sink, [index], [option]);
        var first = await HashAsync(option.InstrumentToken);

        await WriteAsync(sink, [index], [option]);

        Assert.Equal(0, sink.RefusedSnapshots);
        Assert.Equal(first, await HashAsync(option.InstrumentToken));
        Assert.Equal(index, await ReadAsync(SyntheticMaster.Nifty50Token));
        await AssertPublishedAsync(SyntheticMaster.Nifty50Token, option.InstrumentToken);
        Assert.Single(await _redis.GetDatabase().SortedSetRangeByRankAsync(ChainKey(option.InstrumentToken)));

        // Subscribers had these updates from the first write (a retry after a lost reply): the next message is the next batch's.
        var later = Option(1, Position(1_700_000_000_200, 0, 0));
        await WriteAsync(sink, [], [later]);
        await AssertPublishedAsync(later.InstrumentToken);
    }

    [Theory]
    [InlineData(1_700_000_000_000, 0, 10, 1_700_000_000_000, 0, 9, false)] // the index compares as a number, not as text
    [InlineData(1_700_000_000_000, 0, 10, 1_700_000_000_000, 0, 11, true)]
    [InlineData(1_700_000_000_000, 9, 0, 1_700_000_000_000, 10, 0, true)]
    [InlineData(1_700_000_000_001, 0, 0, 1_700_000_000_000, 99, 99, false)]
    [InlineData(9_007_199_254_740_993, 0, 0, 9_007_199_254_740_992, 0, 0, false)] // beyond 2^53: exact, not as doubles
    [InlineData(9_223_372_036_854_775_807, 0, 0, 9_223_372_036_854_775_806, 0, 0, false)]
    [InlineData(9_223_372_036_854_775_806, 0, 0, 9_223_372_036_854_775_807, 0, 0, true)]
    public async Task Positions_compare_by_milliseconds_then_sequence_then_index(
        long storedMs, long storedSeq, int storedIndex, long newMs, long newSeq, int newIndex, bool written)
    {
        var sink = NewSink();
        var stored = Underlying(Position(storedMs, storedSeq, storedIndex), lastPrice: 100, ticks: 1);
        var next = Underlying(Position(newMs, newSeq, newIndex), lastPrice: 200, ticks: 2);
        await WriteAsync(sink, [stored], []);

        await WriteAsync(sink, [next], []);

        Assert.Equal(written ? next : stored, await ReadAsync(SyntheticMaster.Nifty50Token));
        Assert.Equal(written ? 0 : 1, sink.RefusedSnapshots);
    }

    [Fact]
    public async Task A_hash_without_a_readable_position_is_overwritten()
    {
        var sink = NewSink();
        await _redis.GetDatabase().HashSetAsync(TickerKeys.Snapshot(SyntheticMaster.Nifty50Token), [new("last_price", "1"), new("position", "garbage")]);
        var index = Underlying(Position(1, 0, 0), lastPrice: 24_000, ticks: 1);

        await WriteAsync(sink, [index], []);

        Assert.Equal(index, await ReadAsync(SyntheticMaster.Nifty50Token));
        Assert.Equal(0, sink.RefusedSnapshots);
    }

    [Fact]
    public async Task Writes_go_on_after_the_server_forgets_its_scripts()
    {
        var sink = NewSink();
        await WriteAsync(sink, [Underlying(Position(5, 0, 0), lastPrice: 1, ticks: 1)], []);
        await _redis.GetServer(_redis.GetEndPoints()[0]).ScriptFlushAsync();

        var index = Underlying(Position(6, 0, 0), lastPrice: 2, ticks: 2);
        await WriteAsync(sink, [index], []);

        Assert.Equal(index, await ReadAsync(SyntheticMaster.Nifty50Token));
    }

    [Fact]
    public async Task The_reader_reads_back_what_the_sink_wrote()
    {
        var sink = NewSink();
        var options = Enumerable.Range(0, 40).Select(i => Option(i, Position(1_700_000_000_000 + i, 1, i))).ToArray();
        var index = Underlying(Position(1_700_000_000_500, 0, 0), lastPrice: 24_321.25, ticks: 99);
        await WriteAsync(sink, [index], options);
        var reader = new RedisSnapshotReader(_redis);

        Assert.Equal(index, await reader.GetAsync(SyntheticMaster.Nifty50Token, CancellationToken.None));
        Assert.Null(await reader.GetAsync(SyntheticMaster.NiftyBankToken, CancellationToken.None));
        var many = await reader.GetManyAsync([.. options.Select(o => o.InstrumentToken), SyntheticMaster.NiftyBankToken], CancellationToken.None);
        Assert.Equal(options, many);
    }

    private RedisSnapshotSink NewSink() => new(_redis, Master, new RedisTransportOptions());

    private static StreamPosition Position(long ms, long seq, int index) => new(new StreamEntryId(ms, seq), index);

    private static InstrumentSnapshot Underlying(StreamPosition position, double lastPrice, long ticks) => new()
    {
        InstrumentToken = SyntheticMaster.Nifty50Token,
        Kind = InstrumentKind.Underlying,
        LastPrice = lastPrice,
        ExchangeTimestamp = 1_700_000_000,
        ReceivedAtUs = 1_700_000_000_123_456,
        UpdatedAtUs = 1_700_000_000_223_456,
        Ticks = ticks,
        Position = position,
        BarStart = 1_700_000_000,
        BarOpen = lastPrice - 1,
        BarHigh = lastPrice + 2,
        BarLow = lastPrice - 3,
        BarClose = lastPrice,
        BarVolume = 0,
    };

    /// <summary>A snapshot of the <paramref name="n"/>-th option of NIFTY's nearest expiry.</summary>
    private static InstrumentSnapshot Option(int n, StreamPosition position)
    {
        var expiry = Master.Expiries(SyntheticMaster.Nifty50Token)[0];
        var instrument = Master.Options(SyntheticMaster.Nifty50Token, expiry)[n];
        return new InstrumentSnapshot
        {
            InstrumentToken = instrument.InstrumentToken,
            Kind = instrument.Kind,
            LastPrice = 101.5 + n,
            VolumeTraded = 1_000 + n,
            Oi = 75_000,
            ExchangeTimestamp = 1_700_000_000,
            LastTradeTime = 1_699_999_999,
            ReceivedAtUs = 1_700_000_000_000_001,
            UpdatedAtUs = 1_700_000_000_000_101,
            Ticks = 3 + n,
            Position = position,
            Strike = instrument.Strike,
            ExpiryDayNumber = expiry.DayNumber,
            UnderlyingToken = SyntheticMaster.Nifty50Token,
            UnderlyingPrice = 24_000.05,
            IvStatus = IvStatus.Ok,
            Iv = 0.1325,
            Greeks = new Greeks { Delta = 0.51, Gamma = 0.00138, Vega = 8.87, Theta = -20.55, Rho = 1.25 },
            BidPrice = 101.45,
            BidQuantity = 150,
            AskPrice = 101.55,
            AskQuantity = 75,
        };
    }

    private static RedisKey ChainKey(uint optionToken)
    {
        Master.TryGet(optionToken, out var option);
        return TickerKeys.Chain("NIFTY", option!.Expiry!.Value);
    }

    private static async Task WriteAsync(RedisSnapshotSink sink, InstrumentSnapshot[] underlyings, InstrumentSnapshot[] options) =>
        await sink.WriteAsync(underlyings, options, CancellationToken.None);

    private async Task<InstrumentSnapshot?> ReadAsync(uint token) =>
        SnapshotHash.TryRead(await _redis.GetDatabase().HashGetAllAsync(TickerKeys.Snapshot(token)), out var snapshot) ? snapshot : null;

    private async Task<Dictionary<string, string>> HashAsync(uint token) =>
        (await _redis.GetDatabase().HashGetAllAsync(TickerKeys.Snapshot(token))).ToStringDictionary().ToDictionary(p => p.Key, p => p.Value);

    private async Task<JsonElement[]> NextPublishedAsync()
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _published.Reader.ReadAsync(patience.Token);
    }

    /// <summary>Asserts the next message on NIFTY's channel holds the updates of exactly <paramref name="tokens"/>, in order.</summary>
    private async Task AssertPublishedAsync(params uint[] tokens)
    {
        var updates = await NextPublishedAsync();
        Assert.Equal(tokens, updates.Select(u => u.GetProperty("instrument_token").GetUInt32()).ToArray());
    }
}
