namespace Ticker.Protocol.Kite;

/// <summary>
/// Kite exchange segments (the low byte of an instrument token) and the divisor that turns a packet's integer prices
/// into prices.
/// </summary>
public static class KiteSegments
{
    /// <summary>NSE cash market (nse_cm).</summary>
    public const byte NseCm = 1;

    /// <summary>NSE futures and options (nse_fo).</summary>
    public const byte NseFo = 2;

    /// <summary>NSE currency derivatives (nse_cd); prices carry 7 decimals.</summary>
    public const byte NseCd = 3;

    /// <summary>BSE cash market (bse_cm).</summary>
    public const byte BseCm = 4;

    /// <summary>BSE futures and options (bse_fo).</summary>
    public const byte BseFo = 5;

    /// <summary>BSE currency derivatives (bse_cd); prices carry 4 decimals.</summary>
    public const byte BseCd = 6;

    /// <summary>MCX futures and options (mcx_fo).</summary>
    public const byte McxFo = 7;

    /// <summary>MCX SX (mcx_sx).</summary>
    public const byte McxSx = 8;

    /// <summary>Indices: not tradable, sent as the 28/32-byte index packets in quote and full mode.</summary>
    public const byte Indices = 9;

    /// <summary>The default price divisor (two decimals), used by every segment but the currency ones.</summary>
    public const double DefaultDivisor = 100.0;

    /// <summary>The price divisor of <see cref="NseCd"/>.</summary>
    public const double NseCdDivisor = 10_000_000.0;

    /// <summary>The price divisor of <see cref="BseCd"/>.</summary>
    public const double BseCdDivisor = 10_000.0;

    /// <summary>Returns the segment of an instrument token: its low byte.</summary>
    /// <param name="instrumentToken">A Kite instrument token.</param>
    public static byte Of(uint instrumentToken) => (byte)(instrumentToken & 0xFF);

    /// <summary>Returns the number a packet's integer price is divided by for <paramref name="segment"/>.</summary>
    /// <param name="segment">The segment id (any value; unknown segments use <see cref="DefaultDivisor"/>).</param>
    public static double PriceDivisor(byte segment) => segment switch
    {
        NseCd => NseCdDivisor,
        BseCd => BseCdDivisor,
        _ => DefaultDivisor,
    };

    /// <summary>Returns whether instruments of <paramref name="segment"/> are tradable (everything but indices).</summary>
    /// <param name="segment">The segment id.</param>
    public static bool IsTradable(byte segment) => segment != Indices;
}
