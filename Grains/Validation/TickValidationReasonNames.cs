namespace Ticker.Grains.Validation;

/// <summary>
/// Snake-case names of <see cref="TickValidationReason"/> values, for metric tags and logs
/// (e.g. <c>tick_processing_errors_total{reason="unknown_instrument"}</c>). The strings are cached: no allocation.
/// </summary>
public static class TickValidationReasonNames
{
    private static readonly string[] Names =
    [
        "valid",
        "token_not_positive",
        "unknown_instrument",
        "underlying_price_not_positive",
        "underlying_price_too_high",
        "negative_option_price",
        "non_finite_price",
        "negative_volume",
        "negative_oi",
        "oi_too_high",
        "timestamp_before_trading_day",
        "timestamp_in_future",
        "negative_depth",
    ];

    /// <summary>Every name, indexed by <c>(int)reason</c>.</summary>
    public static IReadOnlyList<string> All => Names;

    /// <summary>The snake-case name of a reason, or <c>unknown</c> for a value outside the enum.</summary>
    /// <param name="reason">The reason.</param>
    public static string Of(TickValidationReason reason) => (int)reason < Names.Length ? Names[(int)reason] : "unknown";
}
