namespace Ticker.Grains.Validation;

/// <summary>Why a tick was rejected; <see cref="Valid"/> when it was not. The first failing rule wins.</summary>
public enum TickValidationReason : byte
{
    /// <summary>The tick passed every rule.</summary>
    Valid = 0,

    /// <summary>The instrument token is 0.</summary>
    TokenNotPositive,

    /// <summary>The instrument master does not know the token.</summary>
    UnknownInstrument,

    /// <summary>An underlying or future has a last price ≤ 0 (or a negative OHLC or average price).</summary>
    UnderlyingPriceNotPositive,

    /// <summary>An underlying or future price is above <see cref="TickValidationOptions.MaxUnderlyingPrice"/>.</summary>
    UnderlyingPriceTooHigh,

    /// <summary>An option has a negative last, OHLC or average price.</summary>
    NegativeOptionPrice,

    /// <summary>A price, the change or a depth price is NaN or infinite.</summary>
    NonFinitePrice,

    /// <summary>Volume, last traded quantity or a total buy/sell quantity is negative.</summary>
    NegativeVolume,

    /// <summary>Open interest (or its day high or low) is negative.</summary>
    NegativeOi,

    /// <summary>Open interest (or its day high) is at or above <see cref="TickValidationOptions.MaxOi"/>.</summary>
    OiTooHigh,

    /// <summary>The exchange timestamp or last trade time is before the start of the trading day (less its grace).</summary>
    TimestampBeforeTradingDay,

    /// <summary>The exchange timestamp or last trade time is later than now + <see cref="TickValidationOptions.MaxFutureSkew"/>.</summary>
    TimestampInFuture,

    /// <summary>A depth level has a negative price, quantity or order count.</summary>
    NegativeDepth,
}
