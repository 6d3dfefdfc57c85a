using System.Text.Json;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Client.Ingestion;

/// <summary>
/// What a feed wrote, per instrument: how many ticks, and the last tick's price, volume and exchange timestamp. The
/// yardstick that end-to-end tests hold the snapshots against. One writer (the feed's ingest loop).
/// </summary>
public sealed class FeedManifest
{
    private readonly InstrumentMaster _master;
    private readonly long[] _ticks;
    private readonly Tick[] _last;

    /// <summary>Creates an empty manifest over <paramref name="master"/>.</summary>
    public FeedManifest(InstrumentMaster master)
    {
        _master = master;
        _ticks = new long[master.Count];
        _last = new Tick[master.Count];
    }

    /// <summary>Ticks recorded over all instruments.</summary>
    public long TotalTicks { get; private set; }

    /// <summary>Records ticks that were written to the stream.</summary>
    public void Record(ReadOnlySpan<Tick> ticks)
    {
        foreach (ref readonly var tick in ticks)
        {
            if (_master.TryGetId(tick.InstrumentToken, out var id))
            {
                _ticks[id]++;
                _last[id] = tick;
            }
        }

        TotalTicks += ticks.Length;
    }

    /// <summary>Ticks written for <paramref name="token"/>.</summary>
    public long TicksOf(uint token) => _master.TryGetId(token, out var id) ? _ticks[id] : 0;

    /// <summary>
    /// Writes one JSON line per instrument that got ticks: <c>{"instrument_token", "ticks", "last_price",
    /// "volume_traded", "exchange_timestamp"}</c>.
    /// </summary>
    public void WriteJsonLines(Stream output)
    {
        using var json = new Utf8JsonWriter(output);
        for (var id = 0; id < _ticks.Length; id++)
        {
            if (_ticks[id] == 0)
            {
                continue;
            }

            ref readonly var last = ref _last[id];
            json.WriteStartObject();
            json.WriteNumber("instrument_token", last.InstrumentToken);
            json.WriteNumber("ticks", _ticks[id]);
            json.WriteNumber("last_price", last.LastPrice);
            json.WriteNumber("volume_traded", last.VolumeTraded);
            json.WriteNumber("exchange_timestamp", last.ExchangeTimestamp);
            json.WriteEndObject();
            json.Flush();
            output.WriteByte((byte)'\n');
            json.Reset();
        }
    }
}
