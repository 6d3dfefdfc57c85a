namespace Ticker.Grains.Interfaces.Pricing;

/// <summary>The outcome of solving for implied volatility. Anything but <see cref="Ok"/> means no IV is published.</summary>
public enum IvStatus : byte
{
    /// <summary>Not attempted (no price yet, or Greeks are off).</summary>
    None = 0,

    /// <summary>Solved.</summary>
    Ok = 1,

    /// <summary>The price is below the discounted intrinsic value: no volatility reproduces it.</summary>
    BelowIntrinsic = 2,

    /// <summary>The price is at or above the no-arbitrage upper bound (the discounted spot for a call, strike for a put).</summary>
    AboveUpperBound = 3,

    /// <summary>The option has expired (time to expiry ≤ 0).</summary>
    Expired = 4,

    /// <summary>Spot, strike, price or time was not a positive finite number.</summary>
    InvalidInput = 5,

    /// <summary>The price lies in the bounds but the solver did not converge (should not happen; counted if it does).</summary>
    NoConvergence = 6,

    /// <summary>No price of the underlying has been seen yet, so there is no spot to solve against.</summary>
    NoUnderlyingPrice = 7,
}
