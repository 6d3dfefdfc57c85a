using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Tests.Protocol.Kite;

/// <summary>Field-by-field tick comparison, exact for doubles, naming the field that differs.</summary>
internal static class TickAssert
{
    public static void Equal(in Tick expected, in Tick actual, string context = "")
    {
        Field(context, "InstrumentToken", expected.InstrumentToken, actual.InstrumentToken);
        Field(context, "Mode", expected.Mode, actual.Mode);
        Field(context, "Tradable", expected.Tradable, actual.Tradable);
        Field(context, "LastPrice", expected.LastPrice, actual.LastPrice);
        Field(context, "LastTradedQuantity", expected.LastTradedQuantity, actual.LastTradedQuantity);
        Field(context, "AverageTradedPrice", expected.AverageTradedPrice, actual.AverageTradedPrice);
        Field(context, "VolumeTraded", expected.VolumeTraded, actual.VolumeTraded);
        Field(context, "TotalBuyQuantity", expected.TotalBuyQuantity, actual.TotalBuyQuantity);
        Field(context, "TotalSellQuantity", expected.TotalSellQuantity, actual.TotalSellQuantity);
        Field(context, "Open", expected.Open, actual.Open);
        Field(context, "High", expected.High, actual.High);
        Field(context, "Low", expected.Low, actual.Low);
        Field(context, "Close", expected.Close, actual.Close);
        Field(context, "Change", expected.Change, actual.Change);
        Field(context, "LastTradeTime", expected.LastTradeTime, actual.LastTradeTime);
        Field(context, "Oi", expected.Oi, actual.Oi);
        Field(context, "OiDayHigh", expected.OiDayHigh, actual.OiDayHigh);
        Field(context, "OiDayLow", expected.OiDayLow, actual.OiDayLow);
        Field(context, "ExchangeTimestamp", expected.ExchangeTimestamp, actual.ExchangeTimestamp);
        Field(context, "ReceivedAtUs", expected.ReceivedAtUs, actual.ReceivedAtUs);
        for (var level = 0; level < DepthSide.Levels; level++)
        {
            Level(context, $"Buy[{level}]", expected.Buy[level], actual.Buy[level]);
            Level(context, $"Sell[{level}]", expected.Sell[level], actual.Sell[level]);
        }
    }

    /// <summary>Asserts that every field a packet of the tick's mode does not carry is zero.</summary>
    public static void NoDepth(in Tick tick)
    {
        for (var level = 0; level < DepthSide.Levels; level++)
        {
            Level("", $"Buy[{level}]", default, tick.Buy[level]);
            Level("", $"Sell[{level}]", default, tick.Sell[level]);
        }
    }

    private static void Level(string context, string name, DepthLevel expected, DepthLevel actual)
    {
        Field(context, name + ".Quantity", expected.Quantity, actual.Quantity);
        Field(context, name + ".Price", expected.Price, actual.Price);
        Field(context, name + ".Orders", expected.Orders, actual.Orders);
    }

    private static void Field<T>(string context, string name, T expected, T actual)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            Assert.Fail($"{context} {name}: expected {expected}, actual {actual}".Trim());
        }
    }
}
