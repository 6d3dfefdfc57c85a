using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ticker.Grains.Instruments;
using Ticker.Silo.Status;
using Ticker.Tests.Infrastructure;

namespace Ticker.Tests.Silo.Dashboard;

/// <summary>
/// The status page in a real headless Chromium against an embedded silo with the synthetic feed: what it shows, that
/// it updates without a reload, that its selectors work, that it degrades per endpoint, and that it logs no errors.
/// </summary>
public sealed class DashboardIntegrationTests : IClassFixture<DashboardSiloFixture>
{
    // The ATM row's cells by data-field ("call.delta", …), its strike, and every strike shown.
    private const string AtmRow = """
        (() => {
          const row = document.querySelector('#chain tbody tr.atm');
          if (!row) return null;
          const cells = {};
          row.querySelectorAll('td[data-field]').forEach((td) => { cells[td.dataset.field] = td.textContent; });
          const strikes = [...document.querySelectorAll('#chain tbody tr')].map((r) => Number(r.dataset.strike));
          return { strike: Number(row.dataset.strike), cells, strikes };
        })()
        """;

    private const string AtmHasGreeks = """
        (() => {
          const row = document.querySelector('#chain tbody tr.atm');
          const value = (f) => Number(row.querySelector(`td[data-field="${f}"]`).textContent);
          return row && Number.isFinite(value('call.delta')) && Number.isFinite(value('put.delta'));
        })()
        """;

    private const string ChartState = """
        (() => {
          const chart = document.getElementById('chart-throughput');
          return { last: Number(chart.dataset.last), points: Number(chart.dataset.points),
                   lines: chart.querySelectorAll('polyline').length,
                   chainUpdated: document.getElementById('chain-updated').textContent };
        })()
        """;

    private readonly DashboardSiloFixture _silo;

    public DashboardIntegrationTests(DashboardSiloFixture silo) => _silo = silo;

    [Fact]
    public async Task The_page_shows_the_silo_its_shards_and_a_nifty_chain_with_greeks_without_console_errors()
    {
        await using var browser = await ChromiumSession.StartAsync();
        await browser.NavigateAsync(_silo.StatusPage);

        await browser.WaitForAsync("document.getElementById('connection').textContent === 'live'", "the page read /api/status");
        Assert.Equal(DashboardSiloFixture.SiloId, await TextAsync(browser, "silo-id"));
        var shards = await browser.EvaluateAsync("[...document.querySelectorAll('#shards .shard')].map((s) => s.textContent)");
        Assert.Equal(["0", "1", "2"], shards.EnumerateArray().Select(s => s.GetString()));
        Assert.Contains(DashboardSiloFixture.SiloId, (await browser.EvaluateAsync("document.getElementById('silos').tBodies[0].textContent")).GetString());

        await browser.WaitForAsync(AtmHasGreeks, "the ATM row of the NIFTY chain has Greeks");
        Assert.Equal("NIFTY 50", await TextAsync(browser, "chain-underlying"));
        var atm = await browser.EvaluateAsync(AtmRow);
        var cells = atm.GetProperty("cells");
        Assert.InRange(Number(cells, "call.delta"), 0, 1);
        Assert.InRange(Number(cells, "put.delta"), -1, 0);
        Assert.InRange(Number(cells, "call.iv"), 1, 200);
        Assert.True(Number(cells, "call.gamma") > 0, "call gamma is not positive");
        Assert.True(Number(cells, "put.vega") > 0, "put vega is not positive");
        Assert.True(Number(cells, "call.last_price") > 0, "call price is not positive");

        // The highlighted row is the strike nearest the spot the page shows.
        var spot = double.Parse((await TextAsync(browser, "chain-spot"))!.Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
        var strike = atm.GetProperty("strike").GetDouble();
        foreach (var other in atm.GetProperty("strikes").EnumerateArray())
        {
            Assert.True(Math.Abs(other.GetDouble() - spot) >= Math.Abs(strike - spot), $"strike {other} is nearer {spot} than the ATM row's {strike}");
        }

        await browser.WaitForAsync("Number(document.getElementById('chart-throughput').dataset.points) >= 5", "five samples are plotted");
        var path = await browser.SaveScreenshotAsync("dashboard.png");
        Assert.True(new FileInfo(path).Length > 10_000, $"the screenshot {path} is suspiciously small");
        Assert.Empty(browser.ConsoleErrors);
    }

    [Fact]
    public async Task Charts_and_the_chain_update_live_without_a_reload()
    {
        await using var browser = await ChromiumSession.StartAsync();
        await browser.NavigateAsync(_silo.StatusPage);
        await browser.WaitForAsync("Number(document.getElementById('chart-throughput').dataset.points) >= 2", "two samples are plotted");
        await browser.WaitForAsync("document.getElementById('chain-updated').textContent.includes(':')", "the chain was drawn");
        await browser.EvaluateAsync("window.notReloaded = true");
        var before = await browser.EvaluateAsync(ChartState);

        await browser.WaitForAsync(
            $"Number(document.getElementById('chart-throughput').dataset.last) > {before.GetProperty("last").GetInt64()}",
            "a newer sample is plotted");
        await browser.WaitForAsync(
            $"document.getElementById('chain-updated').textContent !== '{before.GetProperty("chainUpdated").GetString()}'",
            "the chain is redrawn");

        var after = await browser.EvaluateAsync(ChartState);
        Assert.True(after.GetProperty("points").GetInt32() > before.GetProperty("points").GetInt32(), "the chart did not gain points");
        Assert.Equal(3, after.GetProperty("lines").GetInt32());
        Assert.Equal(JsonValueKind.True, (await browser.EvaluateAsync("window.notReloaded")).ValueKind);
        Assert.Empty(browser.ConsoleErrors);
    }

    [Fact]
    public async Task The_underlying_and_expiry_selectors_switch_the_chain()
    {
        var master = _silo.App.Services.GetRequiredService<InstrumentMaster>();
        Assert.True(master.TryGetUnderlying("BANKNIFTY", out var bank));
        var expiries = master.Expiries(bank.InstrumentToken).Select(e => e.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToArray();
        Assert.True(expiries.Length >= 2, "the synthetic master has one BANKNIFTY expiry only");
        await using var browser = await ChromiumSession.StartAsync();
        await browser.NavigateAsync(_silo.StatusPage);
        await browser.WaitForAsync(AtmHasGreeks, "the NIFTY chain has Greeks");

        await SelectAsync(browser, "underlying", "BANKNIFTY");
        await browser.WaitForAsync("document.getElementById('chain-underlying').textContent === 'NIFTY BANK'", "the BANKNIFTY chain is shown");
        await browser.WaitForAsync($"document.getElementById('expiry').options.length === {expiries.Length}", "the expiry list is BANKNIFTY's");
        var listed = await browser.EvaluateAsync("[...document.getElementById('expiry').options].map((o) => o.value)");
        Assert.Equal(expiries, listed.EnumerateArray().Select(e => e.GetString()));

        await SelectAsync(browser, "expiry", expiries[1]);
        await browser.WaitForAsync($"document.getElementById('chain-expiry').textContent === '{expiries[1]}'", "the second expiry's chain is shown");
        await browser.WaitForAsync("document.querySelectorAll('#chain tbody tr').length > 0", "the chain has rows");
        Assert.Empty(browser.ConsoleErrors);
    }

    [Fact]
    public async Task An_endpoint_that_is_down_shows_unavailable_while_the_rest_keeps_working()
    {
        await using var browser = await ChromiumSession.StartAsync();
        await browser.BlockUrlsAsync("*/api/accounts*");
        await browser.NavigateAsync(_silo.StatusPage);

        await browser.WaitForAsync("document.getElementById('state-accounts').textContent === 'unavailable'", "the accounts panel says unavailable");
        await browser.WaitForAsync(AtmHasGreeks, "the chain still has Greeks");
        Assert.Equal("live", await TextAsync(browser, "connection"));
        Assert.Equal(string.Empty, await TextAsync(browser, "state-chain"));
        // Errors, if the browser reports the blocked requests at all, are about them only.
        Assert.All(browser.ConsoleErrors, e => Assert.Contains("/api/accounts", e, StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_a_cluster_table_the_page_shows_every_silo_and_shard_owner_and_says_when_the_silo_is_gone()
    {
        // A stand-in API, so the page is checked against the /api/cluster shape before a silo serves it.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(TestMarket.Master);
        builder.Services.AddSingleton(TimeProvider.System);
        await using var app = builder.Build();
        app.MapStatusPage();
        app.MapGet("/api/status", () => Results.Text(StubStatus(), "application/json"));
        app.MapGet("/api/accounts", () => Results.Text("""{"active":0,"accounts":[]}""", "application/json"));
        app.MapGet("/api/chain/{underlying}", (string underlying) => Results.Json(new { error = "no chain here" }, statusCode: 404));
        app.MapGet("/api/cluster", () => Results.Text("""
            {"silos":[{"silo_id":"silo-a","address":"10.0.0.1:11111@1","status":"Active","last_heartbeat_ms":1200,"live":true,"queues":[0,2]},
                      {"silo_id":"silo-b","address":"10.0.0.2:11111@1","status":"Active","last_heartbeat_ms":300,"live":true,"queues":[1]}],
             "queues":[{"queue":0,"owner":"silo-a"},{"queue":1,"owner":"silo-b"},{"queue":2,"owner":"silo-a"},{"queue":3,"owner":null}]}
            """, "application/json"));
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        await using var browser = await ChromiumSession.StartAsync();
        await browser.NavigateAsync(new Uri(address, "/status"));
        await browser.WaitForAsync("document.querySelectorAll('#shards .shard').length === 4", "four shards are shown");

        var silos = await browser.EvaluateAsync("[...document.getElementById('silos').tBodies[0].rows].map((r) => [...r.cells].map((c) => c.textContent))");
        Assert.Equal(["silo-a", "silo-b"], silos.EnumerateArray().Select(r => r[0].GetString()));
        Assert.Equal(["10.0.0.1:11111@1", "10.0.0.2:11111@1"], silos.EnumerateArray().Select(r => r[1].GetString()));
        Assert.Equal(["2", "1"], silos.EnumerateArray().Select(r => r[3].GetString()));
        var shards = await browser.EvaluateAsync("[...document.querySelectorAll('#shards .shard')].map((s) => s.className)");
        Assert.Equal(["shard owner-0", "shard owner-1", "shard owner-0", "shard unowned"], shards.EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("2 silos in the cluster", await TextAsync(browser, "cluster-source"));

        // The chain endpoint answers 404: that panel alone says so; the browser's only complaint is that request.
        await browser.WaitForAsync("document.getElementById('state-chain').textContent === 'unavailable'", "the chain panel says unavailable");
        Assert.Equal("live", await TextAsync(browser, "connection"));
        Assert.All(browser.ConsoleErrors, e => Assert.Contains("/api/chain/NIFTY", e, StringComparison.Ordinal));

        // The silo goes away: the page says so, keeps the last figures, and keeps polling.
        await app.StopAsync();
        await browser.WaitForAsync("document.getElementById('connection').textContent === 'unavailable'", "the header says unavailable");
        await browser.WaitForAsync("document.getElementById('state-cluster').textContent === 'unavailable'", "the cluster panel says unavailable");
        Assert.Equal("unavailable", await TextAsync(browser, "state-throughput"));
        Assert.Equal("silo-a", await TextAsync(browser, "silo-id"));
    }

    [Fact]
    public async Task The_orleans_dashboard_lists_the_ticker_grains_and_each_page_links_to_the_other()
    {
        await using var browser = await ChromiumSession.StartAsync();
        await browser.NavigateAsync(_silo.StatusPage);
        Assert.Equal("/dashboard/", (await browser.EvaluateAsync("document.querySelector('a.orleans').getAttribute('href')")).GetString());

        await browser.NavigateAsync(new Uri(_silo.OrleansDashboard, "#/grains"));
        foreach (var grain in new[] { "TickPartitionGrain", "SnapshotBatcherGrain", "AccountGrain" })
        {
            await browser.WaitForAsync($"document.body.innerText.includes('{grain}')", $"the Orleans Dashboard lists {grain}");
        }

        Assert.Equal("/status", (await browser.EvaluateAsync("document.getElementById('ticker-status-link').getAttribute('href')")).GetString());
        var path = await browser.SaveScreenshotAsync("orleans-dashboard.png");
        Assert.True(new FileInfo(path).Length > 10_000, "the Orleans Dashboard screenshot is empty");
    }

    [Fact]
    public async Task The_page_its_files_and_the_catalog_endpoints_are_served()
    {
        using var http = new HttpClient { BaseAddress = _silo.BaseAddress };
        using var page = await http.GetAsync("/status");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/status");
        again.Headers.IfNoneMatch.Add(page.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await http.SendAsync(again)).StatusCode);
        Assert.Equal("text/javascript", (await http.GetAsync("/status/status.js")).Content.Headers.ContentType?.MediaType);
        Assert.Equal("text/css", (await http.GetAsync("/status/status.css")).Content.Headers.ContentType?.MediaType);

        using var endpoints = await http.GetFromJsonAsync<JsonDocument>("/api/endpoints");
        var routes = endpoints!.RootElement.GetProperty("endpoints").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("/api/status", routes);
        Assert.Contains("/api/expiries/{underlying}", routes);
        Assert.Contains("/status", routes);

        var master = _silo.App.Services.GetRequiredService<InstrumentMaster>();
        Assert.True(master.TryGetUnderlying("NIFTY", out var nifty));
        using var expiries = await http.GetFromJsonAsync<JsonDocument>("/api/expiries/nifty");
        Assert.Equal("NIFTY 50", expiries!.RootElement.GetProperty("underlying").GetString());
        Assert.Equal(
            master.Expiries(nifty.InstrumentToken).Select(e => e.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            expiries.RootElement.GetProperty("expiries").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/expiries/NOSUCH")).StatusCode);
    }

    private static string StubStatus()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var samples = Enumerable.Range(0, 10).Select(i => string.Create(CultureInfo.InvariantCulture, $$"""
            {"at":{{now - ((9 - i) * 1000)}},"ticks_per_s":{{1000 + (i * 10)}},"option_ticks_per_s":900,"snapshots_per_s":1000,"batches_per_s":50,
             "processing_p50_us":1.5,"processing_p99_us":4,"e2e_p50_ms":0.5,"e2e_p99_ms":2,"total_ticks":{{i * 1000}},"invalid_ticks":0,
             "processing_errors":0,"batches_flushed":{{i * 50}},"flushes_by_reason":{"window":0,"size":0,"idle":{{i * 50}},"shutdown":0,"disabled":0},"active_grains":100}
            """));
        return $$"""{"silo_id":"silo-a","shards":4,"samples":[{{string.Join(',', samples)}}]}""";
    }

    private static async Task<string?> TextAsync(ChromiumSession browser, string id) =>
        (await browser.EvaluateAsync($"document.getElementById('{id}').textContent")).GetString();

    private static Task SelectAsync(ChromiumSession browser, string id, string value) =>
        browser.EvaluateAsync($"(() => {{ const s = document.getElementById('{id}'); s.value = '{value}'; s.dispatchEvent(new Event('change')); }})()");

    private static double Number(JsonElement cells, string field)
    {
        var text = cells.GetProperty(field).GetString();
        Assert.True(double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value), $"{field} '{text}' is not a number");
        return value;
    }
}
