using Ticker.Grains.Interfaces.Accounts;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Ticker.Client.Library;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Protocol.Redis;
using Ticker.Silo.Diagnostics;
using Ticker.Silo.Hosting;

namespace Ticker.Silo.Http;

/// <summary>The silo's JSON API: instruments, option chains, accounts and status.</summary>
public static class TickerApi
{
    /// <summary>Maps <c>/api/instruments/{token}</c>, <c>/api/chain/{underlying}</c>, <c>/api/accounts</c> and <c>/api/status</c>.</summary>
    public static IEndpointRouteBuilder MapTickerApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/instruments/{token}", GetInstrumentAsync);
        app.MapGet("/api/chain/{underlying}", GetChainAsync);
        app.MapGet("/api/accounts", GetAccountsAsync);
        app.MapGet("/api/status", GetStatusAsync);
        return app;
    }

    private static async Task GetInstrumentAsync(HttpContext context, string token, InstrumentMaster master, ISnapshotReader snapshots)
    {
        if (!uint.TryParse(token, out var value) || !master.TryGet(value, out var instrument))
        {
            await WriteErrorAsync(context, StatusCodes.Status404NotFound, $"unknown instrument token '{token}'");
            return;
        }

        var snapshot = await snapshots.GetAsync(value, context.RequestAborted);
        if (snapshot is null)
        {
            await WriteErrorAsync(context, StatusCodes.Status404NotFound, $"no ticks yet for {instrument.TradingSymbol} ({value})");
            return;
        }

        await WriteJsonAsync(context, json => SnapshotJson.Write(json, snapshot.Value, instrument));
    }

    private static async Task GetChainAsync(
        HttpContext context, string underlying, string? expiry, InstrumentMaster master, ISnapshotReader snapshots, TimeProvider time)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime.AddHours(5.5));
        var error = ChainQuery.TryResolve(master, underlying, expiry, today, out var index, out var date);
        if (error is not null)
        {
            await WriteErrorAsync(context, StatusCodes.Status404NotFound, error);
            return;
        }

        var spot = await snapshots.GetAsync(index!.InstrumentToken, context.RequestAborted);
        var options = master.Options(index.InstrumentToken, date);
        var tokens = new uint[options.Count];
        for (var i = 0; i < tokens.Length; i++)
        {
            tokens[i] = options[i].InstrumentToken;
        }

        var found = new Dictionary<uint, InstrumentSnapshot>();
        foreach (var snapshot in await snapshots.GetManyAsync(tokens, context.RequestAborted))
        {
            found[snapshot.InstrumentToken] = snapshot;
        }

        var rows = new List<ChainRow>();
        foreach (var option in options)
        {
            if (rows.Count == 0 || rows[^1].Strike != option.Strike)
            {
                rows.Add(new ChainRow(option.Strike, null, null));
            }

            InstrumentSnapshot? side = found.TryGetValue(option.InstrumentToken, out var s) ? s : null;
            rows[^1] = option.Kind == Grains.Interfaces.Instruments.InstrumentKind.Call
                ? rows[^1] with { Call = side, CallToken = option.InstrumentToken, CallSymbol = option.TradingSymbol }
                : rows[^1] with { Put = side, PutToken = option.InstrumentToken, PutSymbol = option.TradingSymbol };
        }

        var chain = new OptionChain(index.TradingSymbol, index.InstrumentToken, spot?.LastPrice, date, rows);
        await WriteJsonAsync(context, json => OptionChainJson.Write(json, chain, master));
    }

    private static async Task GetAccountsAsync(HttpContext context, IAccountSource accounts)
    {
        var list = await accounts.GetAccountsAsync(context.RequestAborted);
        await WriteJsonAsync(context, json =>
        {
            json.WriteStartObject();
            json.WriteNumber("active", list.Count(a => a.Active));
            json.WriteStartArray("accounts");
            foreach (var account in list)
            {
                AccountStateJson.Write(json, account);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    private static Task GetStatusAsync(HttpContext context, StatusSampler sampler, Microsoft.Extensions.Options.IOptions<Options.SiloOptions> silo)
    {
        var history = sampler.History;
        return WriteJsonAsync(context, json =>
        {
            json.WriteStartObject();
            json.WriteString("silo_id", silo.Value.SiloId);
            json.WriteNumber("shards", silo.Value.ShardCount);
            json.WriteStartArray("samples");
            foreach (var s in history)
            {
                json.WriteStartObject();
                json.WriteNumber("at", s.At.ToUnixTimeMilliseconds());
                json.WriteNumber("ticks_per_s", Math.Round(s.TicksPerSecond, 1));
                json.WriteNumber("option_ticks_per_s", Math.Round(s.OptionTicksPerSecond, 1));
                json.WriteNumber("snapshots_per_s", Math.Round(s.SnapshotsPerSecond, 1));
                json.WriteNumber("batches_per_s", Math.Round(s.BatchesPerSecond, 1));
                json.WriteNumber("processing_p50_us", s.ProcessingP50Us);
                json.WriteNumber("processing_p99_us", s.ProcessingP99Us);
                json.WriteNumber("e2e_p50_ms", s.EndToEndP50Ms);
                json.WriteNumber("e2e_p99_ms", s.EndToEndP99Ms);
                json.WriteNumber("total_ticks", s.TotalTicks);
                json.WriteNumber("invalid_ticks", s.InvalidTicks);
                json.WriteNumber("processing_errors", s.ProcessingErrors);
                json.WriteNumber("batches_flushed", s.BatchesFlushed);
                json.WriteStartObject("flushes_by_reason");
                string[] reasons = ["window", "size", "idle", "shutdown", "disabled"];
                for (var r = 0; r < reasons.Length; r++)
                {
                    json.WriteNumber(reasons[r], s.FlushesByReason[r]);
                }

                json.WriteEndObject();
                json.WriteNumber("active_grains", s.ActiveGrains);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    internal static Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return WriteJsonAsync(context, json =>
        {
            json.WriteStartObject();
            json.WriteString("error", message);
            json.WriteEndObject();
        });
    }

    internal static async Task WriteJsonAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await using (var json = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            write(json);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}
