using System.Text.Json;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Protocol.Kite;

/// <summary>
/// Writes a <see cref="Tick"/> as the JSON object the official Python client (pykiteconnect) builds for a packet: the
/// same field names, order and per-mode fields, with timestamps as Unix seconds instead of datetimes.
/// </summary>
/// <remarks>
/// The layout follows the tick's mode and whether it is tradable: LTP ticks carry tradable, mode, instrument_token,
/// last_price; index quotes add ohlc (high, low, open, close) and change, index fulls also exchange_timestamp;
/// tradable quotes add the quantities, average price, ohlc (open, high, low, close) and change, tradable fulls also
/// last_trade_time, oi, oi_day_high, oi_day_low, exchange_timestamp and depth. For tools, not the per-tick path.
/// </remarks>
public static class KiteTickJson
{
    private static readonly JsonEncodedText Tradable = JsonEncodedText.Encode("tradable");
    private static readonly JsonEncodedText Mode = JsonEncodedText.Encode("mode");
    private static readonly JsonEncodedText InstrumentToken = JsonEncodedText.Encode("instrument_token");
    private static readonly JsonEncodedText LastPrice = JsonEncodedText.Encode("last_price");
    private static readonly JsonEncodedText LastTradedQuantity = JsonEncodedText.Encode("last_traded_quantity");
    private static readonly JsonEncodedText AverageTradedPrice = JsonEncodedText.Encode("average_traded_price");
    private static readonly JsonEncodedText VolumeTraded = JsonEncodedText.Encode("volume_traded");
    private static readonly JsonEncodedText TotalBuyQuantity = JsonEncodedText.Encode("total_buy_quantity");
    private static readonly JsonEncodedText TotalSellQuantity = JsonEncodedText.Encode("total_sell_quantity");
    private static readonly JsonEncodedText Ohlc = JsonEncodedText.Encode("ohlc");
    private static readonly JsonEncodedText Open = JsonEncodedText.Encode("open");
    private static readonly JsonEncodedText High = JsonEncodedText.Encode("high");
    private static readonly JsonEncodedText Low = JsonEncodedText.Encode("low");
    private static readonly JsonEncodedText Close = JsonEncodedText.Encode("close");
    private static readonly JsonEncodedText Change = JsonEncodedText.Encode("change");
    private static readonly JsonEncodedText LastTradeTime = JsonEncodedText.Encode("last_trade_time");
    private static readonly JsonEncodedText Oi = JsonEncodedText.Encode("oi");
    private static readonly JsonEncodedText OiDayHigh = JsonEncodedText.Encode("oi_day_high");
    private static readonly JsonEncodedText OiDayLow = JsonEncodedText.Encode("oi_day_low");
    private static readonly JsonEncodedText ExchangeTimestamp = JsonEncodedText.Encode("exchange_timestamp");
    private static readonly JsonEncodedText Depth = JsonEncodedText.Encode("depth");
    private static readonly JsonEncodedText Buy = JsonEncodedText.Encode("buy");
    private static readonly JsonEncodedText Sell = JsonEncodedText.Encode("sell");
    private static readonly JsonEncodedText Quantity = JsonEncodedText.Encode("quantity");
    private static readonly JsonEncodedText Price = JsonEncodedText.Encode("price");
    private static readonly JsonEncodedText Orders = JsonEncodedText.Encode("orders");
    private static readonly JsonEncodedText LtpMode = JsonEncodedText.Encode("ltp");
    private static readonly JsonEncodedText QuoteMode = JsonEncodedText.Encode("quote");
    private static readonly JsonEncodedText FullMode = JsonEncodedText.Encode("full");

    /// <summary>Returns the Kite name of a mode: "ltp", "quote" or "full" (an empty string for undefined modes).</summary>
    /// <param name="mode">The mode.</param>
    public static string ModeName(TickMode mode) => mode switch
    {
        TickMode.Ltp => "ltp",
        TickMode.Quote => "quote",
        TickMode.Full => "full",
        _ => string.Empty,
    };

    /// <summary>Writes <paramref name="tick"/> as one JSON object.</summary>
    /// <param name="writer">Where the object goes.</param>
    /// <param name="tick">A tick as <see cref="KiteDecoder"/> produces it.</param>
    public static void Write(Utf8JsonWriter writer, in Tick tick)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteBoolean(Tradable, tick.Tradable);
        writer.WriteString(Mode, tick.Mode switch
        {
            TickMode.Quote => QuoteMode,
            TickMode.Full => FullMode,
            _ => LtpMode,
        });
        writer.WriteNumber(InstrumentToken, tick.InstrumentToken);
        writer.WriteNumber(LastPrice, tick.LastPrice);
        if (tick.Mode is TickMode.Quote or TickMode.Full)
        {
            if (tick.Tradable)
            {
                WriteTradable(writer, in tick);
            }
            else
            {
                WriteIndex(writer, in tick);
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteIndex(Utf8JsonWriter writer, in Tick tick)
    {
        writer.WriteStartObject(Ohlc);
        writer.WriteNumber(High, tick.High);
        writer.WriteNumber(Low, tick.Low);
        writer.WriteNumber(Open, tick.Open);
        writer.WriteNumber(Close, tick.Close);
        writer.WriteEndObject();
        writer.WriteNumber(Change, tick.Change);
        if (tick.Mode == TickMode.Full)
        {
            writer.WriteNumber(ExchangeTimestamp, tick.ExchangeTimestamp);
        }
    }

    private static void WriteTradable(Utf8JsonWriter writer, in Tick tick)
    {
        writer.WriteNumber(LastTradedQuantity, tick.LastTradedQuantity);
        writer.WriteNumber(AverageTradedPrice, tick.AverageTradedPrice);
        writer.WriteNumber(VolumeTraded, tick.VolumeTraded);
        writer.WriteNumber(TotalBuyQuantity, tick.TotalBuyQuantity);
        writer.WriteNumber(TotalSellQuantity, tick.TotalSellQuantity);
        writer.WriteStartObject(Ohlc);
        writer.WriteNumber(Open, tick.Open);
        writer.WriteNumber(High, tick.High);
        writer.WriteNumber(Low, tick.Low);
        writer.WriteNumber(Close, tick.Close);
        writer.WriteEndObject();
        writer.WriteNumber(Change, tick.Change);
        if (tick.Mode != TickMode.Full)
        {
            return;
        }

        writer.WriteNumber(LastTradeTime, tick.LastTradeTime);
        writer.WriteNumber(Oi, tick.Oi);
        writer.WriteNumber(OiDayHigh, tick.OiDayHigh);
        writer.WriteNumber(OiDayLow, tick.OiDayLow);
        writer.WriteNumber(ExchangeTimestamp, tick.ExchangeTimestamp);
        writer.WriteStartObject(Depth);
        WriteSide(writer, Buy, in tick.Buy);
        WriteSide(writer, Sell, in tick.Sell);
        writer.WriteEndObject();
    }

    private static void WriteSide(Utf8JsonWriter writer, JsonEncodedText name, in DepthSide side)
    {
        writer.WriteStartArray(name);
        for (var level = 0; level < DepthSide.Levels; level++)
        {
            ref readonly var depth = ref side[level];
            writer.WriteStartObject();
            writer.WriteNumber(Quantity, depth.Quantity);
            writer.WriteNumber(Price, depth.Price);
            writer.WriteNumber(Orders, depth.Orders);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
