namespace Ticker.Grains.Validation;

/// <summary>Configuration of tick validation (section <see cref="SectionName"/>).</summary>
public sealed class TickValidationOptions
{
    /// <summary>The configuration section bound by <see cref="TickValidationServiceCollectionExtensions.AddTickValidation"/>.</summary>
    public const string SectionName = "Validation";

    /// <summary>The default value for <see cref="Mode"/>.</summary>
    public const ValidationMode DefaultMode = ValidationMode.Lenient;

    /// <summary>The default value for <see cref="MaxUnderlyingPrice"/>.</summary>
    public const double DefaultMaxUnderlyingPrice = 1_000_000;

    /// <summary>The default value for <see cref="MaxOi"/>.</summary>
    public const long DefaultMaxOi = 100_000_000;

    /// <summary>The default value for <see cref="MaxFutureSkew"/>: one minute.</summary>
    public static readonly TimeSpan DefaultMaxFutureSkew = TimeSpan.FromMinutes(1);

    /// <summary>The default value for <see cref="ExchangeTimestampGrace"/>: none.</summary>
    public static readonly TimeSpan DefaultExchangeTimestampGrace = TimeSpan.Zero;

    /// <summary>The default value for <see cref="LastTradeTimeGrace"/>: 31 days.</summary>
    public static readonly TimeSpan DefaultLastTradeTimeGrace = TimeSpan.FromDays(31);

    /// <summary>Off, Lenient (drop invalid ticks) or Strict (reject a batch that holds one).</summary>
    public ValidationMode Mode { get; set; } = DefaultMode;

    /// <summary>The highest believable price of an underlying or future.</summary>
    public double MaxUnderlyingPrice { get; set; } = DefaultMaxUnderlyingPrice;

    /// <summary>Open interest must be below this.</summary>
    public long MaxOi { get; set; } = DefaultMaxOi;

    /// <summary>How far past "now" an exchange timestamp or last trade time may be (clock skew between exchange and host).</summary>
    public TimeSpan MaxFutureSkew { get; set; } = DefaultMaxFutureSkew;

    /// <summary>
    /// How long before 00:00 IST of the current day an exchange timestamp may be. Zero by default: a tick sent
    /// today carries today's timestamp; raise it when a feed replays the previous session's tail after midnight.
    /// </summary>
    public TimeSpan ExchangeTimestampGrace { get; set; } = DefaultExchangeTimestampGrace;

    /// <summary>
    /// How long before 00:00 IST of the current day a last trade time may be. An illiquid strike's last trade can be
    /// several sessions old (and every strike's is yesterday's before its first trade of the day), so this bound only
    /// catches garbage rather than staleness.
    /// </summary>
    public TimeSpan LastTradeTimeGrace { get; set; } = DefaultLastTradeTimeGrace;

    /// <inheritdoc />
    public override string ToString() =>
        $"Mode={Mode}, MaxUnderlyingPrice={MaxUnderlyingPrice}, MaxOi={MaxOi}, MaxFutureSkew={MaxFutureSkew}, "
        + $"ExchangeTimestampGrace={ExchangeTimestampGrace}, LastTradeTimeGrace={LastTradeTimeGrace}";
}
