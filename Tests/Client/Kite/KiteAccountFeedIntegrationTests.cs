using Ticker.Client.Kite;
using Ticker.Grains.Accounts;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Tests.Infrastructure;

namespace Ticker.Tests.Client.Kite;

public sealed class KiteAccountFeedIntegrationTests
{
    [Fact]
    public async Task Seven_thousand_instruments_spread_over_three_connections_all_subscribed_all_streaming()
    {
        var master = MasterWithEquities(2_500);
        await using var server = await KiteTestServer.StartAsync(instruments: 7_000, master: master);
        var tokens = KiteInstrumentSelection.Select(master, 7_000);
        var ticks = new TickCollector();
        var accounts = new AccountDirectory();
        var feed = new KiteAccountFeed(
            KiteTestServer.Options(server), KiteTestServer.Credentials(), tokens, TickMode.Quote, ticks, accounts, TimeProvider.System, new ListLogger());
        using var stop = new CancellationTokenSource();
        var run = feed.RunAsync(stop.Token);

        await Eventually.WaitUntilAsync(() => ticks.DistinctTokens == 7_000, "every one of 7,000 instruments ticked", TimeSpan.FromSeconds(60));

        Assert.True(ticks.HasAll(tokens));
        Assert.Equal(3, feed.Connections.Count);
        Assert.All(feed.Connections, c => Assert.InRange(c.SubscriptionCount, 1, 3_000));
        Assert.Equal(7_000, feed.Connections.Sum(c => c.SubscriptionCount));
        Assert.Equal(7_000, feed.Connections.SelectMany(c => c.Subscriptions().Keys).Distinct().Count());
        var sessions = server.OpenSessions;
        Assert.Equal(3, sessions.Count);
        Assert.All(sessions, s =>
        {
            Assert.InRange(s.SubscriptionCount, 1, 3_000);
            Assert.Equal(0, s.LimitErrors);
            Assert.InRange(s.LargestMessageTokens, 1, KiteMessages.MaxTokensPerMessage);
        });
        Assert.Equal(7_000, sessions.Sum(s => s.SubscriptionCount));
        Assert.Equal(0, server.RefusedForLimit);
        var nowUs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        var account = Assert.Single(accounts.Snapshot(nowUs, TimeSpan.FromSeconds(30)));
        Assert.Equal(KiteTestServer.ApiKey, account.AccountId);
        Assert.True(account.Active);
        Assert.Equal(3, account.ConnectedCount);
        Assert.Equal(7_000, account.Instruments);
        Assert.True(account.Ticks >= 7_000);
        Assert.Equal(1, accounts.ActiveCount(nowUs, TimeSpan.FromSeconds(30)));

        await stop.CancelAsync();
        Assert.Equal(KiteConnectionOutcome.Cancelled, await run.WaitAsync(Eventually.DefaultTimeout));
        Assert.Equal(0, accounts.Snapshot(nowUs, TimeSpan.FromSeconds(30))[0].ConnectedCount);
    }

    [Fact]
    public async Task A_drop_of_every_connection_resubscribes_each_within_its_limit()
    {
        var master = MasterWithEquities(2_500);
        await using var server = await KiteTestServer.StartAsync(instruments: 7_000, master: master);
        var tokens = KiteInstrumentSelection.Select(master, 7_000);
        var ticks = new TickCollector();
        var feed = new KiteAccountFeed(
            KiteTestServer.Options(server), KiteTestServer.Credentials(), tokens, TickMode.Ltp, ticks, null, TimeProvider.System, new ListLogger());
        using var stop = new CancellationTokenSource();
        var run = feed.RunAsync(stop.Token);
        await Eventually.WaitUntilAsync(() => server.OpenSessions.Sum(s => s.SubscriptionCount) == 7_000, "7,000 subscriptions", TimeSpan.FromSeconds(60));

        server.DropAll();

        await Eventually.WaitUntilAsync(
            () => server.Sessions.Count >= 6 && server.OpenSessions.Count == 3 && server.OpenSessions.Sum(s => s.SubscriptionCount) == 7_000,
            "three new sessions with every instrument again", TimeSpan.FromSeconds(60));
        Assert.All(server.Sessions, s => Assert.Equal(0, s.LimitErrors));
        Assert.All(server.OpenSessions, s => Assert.InRange(s.SubscriptionCount, 1, 3_000));
        Assert.True(feed.Reconnects >= 3);
        await stop.CancelAsync();
        await run.WaitAsync(Eventually.DefaultTimeout);
    }

    [Fact]
    public void More_than_9000_instruments_are_refused_and_the_connection_count_follows_the_load()
    {
        var tokens = Enumerable.Range(1, 9_001).Select(i => (uint)i).ToArray();

        var error = Assert.Throws<ArgumentException>(() => new KiteAccountFeed(
            new KiteOptions(), KiteTestServer.Credentials(), tokens, TickMode.Quote, new TickCollector(), null, TimeProvider.System, new ListLogger()));

        Assert.Contains("9001 instruments exceed the 9000", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, KiteAccountFeed.ConnectionsFor(0));
        Assert.Equal(1, KiteAccountFeed.ConnectionsFor(3_000));
        Assert.Equal(2, KiteAccountFeed.ConnectionsFor(3_001));
        Assert.Equal(3, KiteAccountFeed.ConnectionsFor(9_000));
    }

    /// <summary>The test master plus <paramref name="count"/> NSE equities, so that more than 7,000 instruments exist.</summary>
    internal static InstrumentMaster MasterWithEquities(int count)
    {
        var rows = new List<Instrument>(TestMarket.Master.Instruments);
        for (var i = 0; i < count; i++)
        {
            rows.Add(new Instrument
            {
                InstrumentToken = ((uint)(900_000 + i) << 8) | 1,
                ExchangeToken = (uint)(900_000 + i),
                TradingSymbol = $"EQ{i:D5}",
                Name = $"EQUITY {i}",
                LastPrice = 100 + i,
                TickSize = 0.05,
                LotSize = 1,
                InstrumentType = "EQ",
                Segment = "NSE",
                Exchange = "NSE",
            });
        }

        return InstrumentMaster.Create(rows, UnderlyingMap.Default);
    }
}
