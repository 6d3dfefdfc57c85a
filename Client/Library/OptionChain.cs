namespace Ticker.Client.Library;

/// <summary>The option chain of one underlying and expiry, as read from Redis.</summary>
/// <param name="Underlying">The underlying's tradingsymbol (e.g. <c>NIFTY 50</c>).</param>
/// <param name="UnderlyingToken">The underlying's instrument token.</param>
/// <param name="UnderlyingPrice">The underlying's last price, or <see langword="null"/> when it has not ticked yet.</param>
/// <param name="Expiry">The expiry date.</param>
/// <param name="Rows">One row per strike, ascending.</param>
public sealed record OptionChain(
    string Underlying,
    uint UnderlyingToken,
    double? UnderlyingPrice,
    DateOnly Expiry,
    IReadOnlyList<ChainRow> Rows)
{
    /// <summary>
    /// The at-the-money strike: the one nearest <see cref="UnderlyingPrice"/> (the lower on a tie), or
    /// <see langword="null"/> without a price or rows.
    /// </summary>
    public double? AtmStrike
    {
        get
        {
            if (UnderlyingPrice is not { } price || Rows.Count == 0)
            {
                return null;
            }

            var best = Rows[0].Strike;
            foreach (var row in Rows)
            {
                if (Math.Abs(row.Strike - price) < Math.Abs(best - price))
                {
                    best = row.Strike;
                }
            }

            return best;
        }
    }
}
