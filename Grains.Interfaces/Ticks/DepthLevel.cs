namespace Ticker.Grains.Interfaces.Ticks;

/// <summary>One level of market depth: the quantity and number of orders resting at a price.</summary>
public struct DepthLevel
{
    /// <summary>Quantity resting at <see cref="Price"/>.</summary>
    public long Quantity;

    /// <summary>Price of the level, already scaled by the segment's divisor.</summary>
    public double Price;

    /// <summary>Number of orders at the level.</summary>
    public int Orders;
}
