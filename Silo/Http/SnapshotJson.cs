using System.Text.Json;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Pricing;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Protocol.Redis;

namespace Ticker.Silo.Http;

/// <summary>
/// Writes snapshots as JSON with the same snake_case field names as the Redis hashes, so HTTP and Redis readers see
/// one contract. IV and Greeks are null unless the IV solve succeeded (never NaN).
/// </summary>
public static class SnapshotJson
{
    /// <summary>Writes one snapshot as a JSON object.</summary>
    public static void Write(Utf8JsonWriter json, in InstrumentSnapshot s, Instrument? instrument)
    {
        json.WriteStartObject();
        json.WriteNumber("instrument_token", s.InstrumentToken);
        if (instrument is not null)
        {
            json.WriteString("tradingsymbol", instrument.TradingSymbol);
        }

        json.WriteString("kind", SnapshotHash.KindName(s.Kind));
        json.WriteNumber("last_price", s.LastPrice);
        json.WriteNumber("volume_traded", s.VolumeTraded);
        json.WriteNumber("oi", s.Oi);
        json.WriteNumber("exchange_timestamp", s.ExchangeTimestamp);
        json.WriteNumber("last_trade_time", s.LastTradeTime);
        json.WriteNumber("received_at_us", s.ReceivedAtUs);
        json.WriteNumber("updated_at_us", s.UpdatedAtUs);
        json.WriteNumber("ticks", s.Ticks);
        if (s.IsOption)
        {
            json.WriteNumber("strike", s.Strike);
            WriteExpiry(json, s.ExpiryDayNumber);
            json.WriteNumber("underlying_token", s.UnderlyingToken);
            json.WriteNumber("underlying_price", s.UnderlyingPrice);
            json.WriteString("iv_status", SnapshotHash.IvStatusName(s.IvStatus));
            var ok = s.IvStatus == IvStatus.Ok;
            WriteNullable(json, "iv", ok, s.Iv);
            WriteNullable(json, "delta", ok, s.Greeks.Delta);
            WriteNullable(json, "gamma", ok, s.Greeks.Gamma);
            WriteNullable(json, "vega", ok, s.Greeks.Vega);
            WriteNullable(json, "theta", ok, s.Greeks.Theta);
            WriteNullable(json, "rho", ok, s.Greeks.Rho);
            json.WriteNumber("bid_price", s.BidPrice);
            json.WriteNumber("bid_quantity", s.BidQuantity);
            json.WriteNumber("ask_price", s.AskPrice);
            json.WriteNumber("ask_quantity", s.AskQuantity);
        }
        else
        {
            if (s.ExpiryDayNumber != 0)
            {
                WriteExpiry(json, s.ExpiryDayNumber);
            }

            json.WriteStartObject("bar");
            json.WriteNumber("start", s.BarStart);
            json.WriteNumber("open", s.BarOpen);
            json.WriteNumber("high", s.BarHigh);
            json.WriteNumber("low", s.BarLow);
            json.WriteNumber("close", s.BarClose);
            json.WriteNumber("volume", s.BarVolume);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteExpiry(Utf8JsonWriter json, int dayNumber) =>
        json.WriteString("expiry", DateOnly.FromDayNumber(dayNumber).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

    private static void WriteNullable(Utf8JsonWriter json, string name, bool present, double value)
    {
        if (present && double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
