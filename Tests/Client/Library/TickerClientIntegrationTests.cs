using Ticker.Grains.Interfaces.Accounts;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Ticker.Client.Library;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Pricing;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Protocol.Redis;
using StackExchange.Redis;

namespace Ticker.Tests.Client.Library;

/// <summary>The client's reads against the state a real silo and synthetic feed left in a real redis-server.</summary>
[Collection(TickerSiloCollection.Name)]
public sealed class TickerClientIntegrationTests(TickerSiloFixture silo)
{
    [Fact]
    public async Task GetInstrumentAsync_returns_what_the_silo_wrote_for_every_instrument_the_feed_ticked()
    {
        await using var client = await TickerClient.ConnectAsync(silo.Server.ConnectionString, TickerSiloFixture.Master);

        Assert.Equal(TickerSiloFixture.Instruments, silo.Manifest.Count);
        foreach (var line in silo.Manifest)
        {
            var token = line.GetProperty("instrument_token").GetUInt32();
            var snapshot = await client.GetInstrumentAsync(token);
            Assert.True(snapshot.HasValue, $"no snapshot for {token}");
            var s = snapshot.Value;
            Assert.Equal(token, s.InstrumentToken);
            Assert.Equal(line.GetProperty("ticks").GetInt64(), s.Ticks);
            Assert.Equal(line.GetProperty("last_price").GetDouble(), s.LastPrice);
            Assert.Equal(line.GetProperty("volume_traded").GetInt64(), s.VolumeTraded);
            Assert.True(TickerSiloFixture.Master.TryGet(token, out var instrument));
            Assert.Equal(instrument.Kind, s.Kind);
            if (instrument.IsOption)
            {
                Assert.Equal(instrument.Strike, s.Strike);
                Assert.Equal(instrument.Expiry, s.Expiry);
                Assert.Equal(instrument.UnderlyingToken, s.UnderlyingToken);
            }
        }

        // A token the feed never ticked has no snapshot yet.
        var ticked = silo.Manifest.Select(m => m.GetProperty("instrument_token").GetUInt32()).ToHashSet();
        var never = TickerSiloFixture.Master.Instruments.First(i => i.IsOption && !ticked.Contains(i.InstrumentToken)).InstrumentToken;
        Assert.Null(await client.GetInstrumentAsync(never));
        Assert.Null(await client.GetInstrumentAsync(42));
    }

    [Fact]
    public async Task GetInstrumentAsync_agrees_with_the_http_api()
    {
        await using var client = await TickerClient.ConnectAsync(silo.Server.ConnectionString, TickerSiloFixture.Master);
        var option = silo.Manifest.Select(m => m.GetProperty("instrument_token").GetUInt32())
            .First(t => TickerSiloFixture.Master.TryGet(t, out var i) && i.IsOption);

        var s = (await client.GetInstrumentAsync(option))!.Value;
        using var http = JsonDocument.Parse(await silo.Http.GetStringAsync($"/api/instruments/{option}"));
        var root = http.RootElement;
        Assert.Equal(root.GetProperty("last_price").GetDouble(), s.LastPrice);
        Assert.Equal(root.GetProperty("ticks").GetInt64(), s.Ticks);
        Assert.Equal(root.GetProperty("oi").GetInt64(), s.Oi);
        Assert.Equal(root.GetProperty("iv_status").GetString(), Enum.GetName(s.IvStatus) is { } name ? SnakeCase(name) : null);
        if (s.IvStatus == IvStatus.Ok)
        {
            Assert.Equal(root.GetProperty("iv").GetDouble(), s.Iv);
            Assert.Equal(root.GetProperty("delta").GetDouble(), s.Greeks.Delta);
            Assert.Equal(root.GetProperty("vega").GetDouble(), s.Greeks.Vega);
        }
    }

    [Theory]
    [InlineData("NIFTY", SyntheticMaster.Nifty50Token)]
    [InlineData("nifty 50", SyntheticMaster.Nifty50Token)]
    [InlineData("  Nifty ", SyntheticMaster.Nifty50Token)]
    [InlineData("BANKNIFTY", SyntheticMaster.NiftyBankToken)]
    [InlineData("NIFTY BANK", SyntheticMaster.NiftyBankToken)]
    public async Task GetUnderlyingAsync_finds_the_index_by_name_or_symbol(string symbol, uint token)
    {
        await using var client = await TickerClient.ConnectAsync(silo.Server.ConnectionString, TickerSiloFixture.Master);

        var snapshot = await client.GetUnderlyingAsync(symbol);

        Assert.True(snapshot.HasValue);
        Assert.Equal(token, snapshot.Value.InstrumentToken);
        Assert.Equal(InstrumentKind.Underlying, snapshot.Value.Kind);
        Assert.True(snapshot.Value.LastPrice > 0);
        Assert.Equal(silo.Manifest.Single(m => m.GetProperty("instrument_token").GetUInt32() == token).GetProperty("last_price").GetDouble(), snapshot.Value.LastPrice);
    }

    [Fact]
    public async Task Unknown_underlyings_and_expiries_are_argument_errors_naming_what_is_known()
    {
        await using var client = await TickerClient.ConnectAsync(silo.Server.ConnectionString, TickerSiloFixture.Master);

        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => client.GetUnderlyingAsync("SENSEX"));
        Assert.Contains("SENSEX", unknown.Message);
        Assert.Contains("NIFTY", unknown.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetOptionChainAsync("FINNIFTY", null));
        Assert.Throws<ArgumentException>(() => client.SubscribeAsync("FINNIFTY"));
        Assert.Throws<ArgumentException>(() => client.SubscribeAsync([42u]));
        Assert.Throws<ArgumentException>(() => client.SubscribeAsync(Array.Empty<uint>()));

        var notAnExpiry = new DateOnly(2001, 1, 1);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.GetOptionChainAsync("NIFTY", notAnExpiry));
        Assert.Contains("2001-01-01", error.Message);
    }

    [Fact]
    public async Task GetOptionChainAsync_agrees_with_the_http_chain_for_the_nearest_expiry()
    {
        await using var client = await TickerClient.ConnectAsync(silo.Server.ConnectionString, TickerSiloFixture.Master);

        var chain = await client.GetOptionChainAsync("NIFTY", null);
        using var http = JsonDocument.Parse(await silo.Http.GetStringAsync("/api/chain/NIFTY"));

        AssertSameChain(http.RootElement, chain);
        Assert.Equal(TickerSiloFixture.Master.Expiries(SyntheticMaster.Nifty50Token)[0], chain.Expiry);
        Assert.Contains(chain.Rows, r => r.Call is { IvStatus: IvStatus.Ok });

        // Every strike the master lists is a row, with the tokens and tradingsymbols of both sides.
        var listed = TickerSiloFixture.Master.Options(SyntheticMaster.Nifty50Token, chain.Expiry);
        Assert.Equal(listed.Select(o => o.Strike).Distinct(), chain.Rows.Select(r => r.Strike));
        Assert.All(chain.Rows, r => Assert.EndsWith("CE", r.CallSymbol));
        Assert.All(chain.Rows, r => Assert.EndsWith("PE", r.PutSymbol));

        // The ATM strike is the one nearest the spot.
        var spot = chain.UnderlyingPrice!.Value;
        Assert.Equal(chain.Rows.MinBy(r => Math.Abs(r.Strike - spot))!.Strike, chain.AtmStrike);
    }

    [Fact]
    public async Task Strikes_the_master_lists_without_snapshots_in_redis_appear_with_null_sides()
    {
        await using var client = await TickerClient.ConnectAsync(silo.Server.ConnectionString, TickerSiloFixture.Master);

        // The feed ticks options in expiry order and stops long before the last expiry.
        var last = TickerSiloFixture.Master.Expiries(SyntheticMaster.Nifty50Token)[^1];
        var chain = await client.GetOptionChainAsync("NIFTY", last);

        Assert.Equal(2 * SyntheticMaster.NiftyStrikesEachSide + 1, chain.Rows.Count);
        Assert.All(chain.Rows, r => Assert.True(r.Call is null && r.Put is null && r.CallToken != 0 && r.PutToken != 0 && r.CallSymbol is not null));
        Assert.NotNull(chain.UnderlyingPrice);
        using var http = JsonDocument.Parse(await silo.Http.GetStringAsync($"/api/chain/NIFTY?expiry={last:yyyy-MM-dd}"));
        AssertSameChain(http.RootElement, chain, expectSnapshots: false);
    }

    [Fact]
    public async Task GetOptionChainAsync_agrees_with_the_http_chain_for_a_later_expiry_by_name_or_symbol()
    {
        await using var client = await TickerClient.ConnectAsync(silo.Server.ConnectionString, TickerSiloFixture.Master);
        var expiries = TickerSiloFixture.Master.Expiries(SyntheticMaster.Nifty50Token);
        var later = expiries[1];
        var text = later.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var byName = await client.GetOptionChainAsync("NIFTY", later);
        var bySymbol = await client.GetOptionChainAsync("NIFTY 50", later);
        using var http = JsonDocument.Parse(await silo.Http.GetStringAsync($"/api/chain/NIFTY?expiry={text}"));

        AssertSameChain(http.RootElement, byName);
        Assert.Equal(later, byName.Expiry);
        Assert.Equal(byName.Rows.Select(r => (r.Strike, r.Call?.Ticks, r.Put?.Ticks)), bySymbol.Rows.Select(r => (r.Strike, r.Call?.Ticks, r.Put?.Ticks)));

        // BANKNIFTY's chain reads from its own key (whether its options ticked depends on the day's expiries).
        var bank = await client.GetOptionChainAsync("BANKNIFTY", null);
        using var bankHttp = JsonDocument.Parse(await silo.Http.GetStringAsync("/api/chain/BANKNIFTY"));
        AssertSameChain(bankHttp.RootElement, bank, expectSnapshots: false);
        Assert.NotNull(bank.UnderlyingPrice);
    }

    [Fact]
    public async Task GetOptionChainAsync_reads_strikes_of_options_the_master_does_not_list_from_the_sorted_set()
    {
        await using var client = await TickerClient.ConnectAsync(silo.Server.ConnectionString, TickerSiloFixture.Master);
        var expiry = TickerSiloFixture.Master.Expiries(SyntheticMaster.Nifty50Token)[0];
        var key = TickerKeys.Chain("NIFTY", expiry);
        var template = (await client.GetOptionChainAsync("NIFTY", expiry)).Rows.First(r => r.Call is not null).Call!.Value;

        // A writer with another master indexed a strike this master does not list.
        const uint Foreign = 999_999_001;
        const double ForeignStrike = 99_950;
        var snapshot = template with { InstrumentToken = Foreign, Strike = ForeignStrike, Kind = InstrumentKind.Put };
        var db = silo.Redis.GetDatabase();
        await db.HashSetAsync(TickerKeys.Snapshot(Foreign), SnapshotHash.ToHashEntries(snapshot, "FOREIGN99950PE"u8));
        await db.SortedSetAddAsync(key, Foreign, ForeignStrike);
        try
        {
            var chain = await client.GetOptionChainAsync("NIFTY", expiry);
            var row = chain.Rows[^1];
            Assert.Equal(ForeignStrike, row.Strike);
            Assert.Null(row.Call);
            Assert.Equal(Foreign, row.PutToken);
            Assert.Equal(template.LastPrice, row.Put!.Value.LastPrice);
            Assert.Null(row.PutSymbol);
        }
        finally
        {
            await db.SortedSetRemoveAsync(key, Foreign);
            await db.KeyDeleteAsync(TickerKeys.Snapshot(Foreign));
        }
    }

    [Fact]
    public async Task GetAccountsAsync_reads_what_feeds_write_with_AccountStateJson_and_skips_malformed_entries()
    {
        await using var client = await TickerClient.ConnectAsync(silo.Server.ConnectionString, TickerSiloFixture.Master);
        Assert.Empty(await client.GetAccountsAsync());

        var b = new AccountState("kite-b", false, 2, 0, 4000, 0, 7, 0, 1_700_000_000_000_000, 1_700_000_001_000_000);
        var a = new AccountState("kite-a", true, 3, 3, 9000, 123_456_789, 1, 1_700_000_000_500_000, 1_700_000_000_600_000, 1_700_000_000_700_000);
        var db = silo.Redis.GetDatabase();
        await db.HashSetAsync(
            TickerKeys.Accounts,
            [new(b.AccountId, AccountStateJson.ToUtf8Bytes(b)), new(a.AccountId, AccountStateJson.ToUtf8Bytes(a)), new("broken", "{\"active\":")]);
        try
        {
            var accounts = await client.GetAccountsAsync();
            Assert.Equal([a, b], accounts);
        }
        finally
        {
            await db.KeyDeleteAsync(TickerKeys.Accounts);
        }
    }

    [Fact]
    public async Task Connecting_to_a_port_nobody_listens_on_fails_with_a_connection_error()
    {
        var port = FreePort();
        var error = await Assert.ThrowsAsync<RedisConnectionException>(
            () => TickerClient.ConnectAsync($"127.0.0.1:{port},connectTimeout=2000", TickerSiloFixture.Master));
        Assert.Contains(port.ToString(CultureInfo.InvariantCulture), error.Message);
    }

    internal static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Asserts the library's chain holds what the HTTP API's <c>/api/chain</c> JSON holds.</summary>
    internal static void AssertSameChain(JsonElement http, OptionChain chain, bool expectSnapshots = true)
    {
        Assert.Equal(http.GetProperty("underlying").GetString(), chain.Underlying);
        Assert.Equal(http.GetProperty("underlying_token").GetUInt32(), chain.UnderlyingToken);
        Assert.Equal(http.GetProperty("underlying_price").GetDouble(), chain.UnderlyingPrice);
        Assert.Equal(http.GetProperty("expiry").GetString(), chain.Expiry.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var strikes = http.GetProperty("strikes").EnumerateArray().ToList();
        Assert.Equal(strikes.Select(s => s.GetProperty("strike").GetDouble()), chain.Rows.Select(r => r.Strike));
        var sides = 0;
        for (var i = 0; i < strikes.Count; i++)
        {
            sides += AssertSameSide(strikes[i].GetProperty("call"), chain.Rows[i].Call, chain.Rows[i].CallSymbol);
            sides += AssertSameSide(strikes[i].GetProperty("put"), chain.Rows[i].Put, chain.Rows[i].PutSymbol);
        }

        Assert.True(!expectSnapshots || sides > 0, "the chain has no option with a snapshot: the comparison proved nothing");
    }

    private static int AssertSameSide(JsonElement http, InstrumentSnapshot? snapshot, string? symbol)
    {
        if (http.ValueKind == JsonValueKind.Null)
        {
            Assert.Null(snapshot);
            return 0;
        }

        Assert.NotNull(snapshot);
        var s = snapshot.Value;
        Assert.Equal(http.GetProperty("instrument_token").GetUInt32(), s.InstrumentToken);
        Assert.Equal(http.GetProperty("tradingsymbol").GetString(), symbol);
        Assert.Equal(http.GetProperty("last_price").GetDouble(), s.LastPrice);
        Assert.Equal(http.GetProperty("ticks").GetInt64(), s.Ticks);
        Assert.Equal(http.GetProperty("oi").GetInt64(), s.Oi);
        Assert.Equal(http.GetProperty("underlying_price").GetDouble(), s.UnderlyingPrice);
        var iv = http.GetProperty("iv");
        Assert.Equal(iv.ValueKind == JsonValueKind.Number, s.IvStatus == IvStatus.Ok);
        if (s.IvStatus == IvStatus.Ok)
        {
            Assert.Equal(iv.GetDouble(), s.Iv);
            Assert.Equal(http.GetProperty("delta").GetDouble(), s.Greeks.Delta);
            Assert.Equal(http.GetProperty("gamma").GetDouble(), s.Greeks.Gamma);
            Assert.Equal(http.GetProperty("theta").GetDouble(), s.Greeks.Theta);
            Assert.Equal(http.GetProperty("vega").GetDouble(), s.Greeks.Vega);
        }

        return 1;
    }

    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : string.Empty) + char.ToLowerInvariant(c) : c.ToString()));
}
