using Microsoft.Extensions.Options;

namespace Ticker.Grains.Validation;

/// <summary>Checks <see cref="TickValidationOptions"/> at start-up; each failure names the property and its allowed range.</summary>
public sealed class TickValidationOptionsValidator : IValidateOptions<TickValidationOptions>
{
    /// <summary>The largest allowed <see cref="TickValidationOptions.MaxFutureSkew"/>.</summary>
    public static readonly TimeSpan MaxFutureSkewLimit = TimeSpan.FromDays(1);

    /// <summary>The largest allowed <see cref="TickValidationOptions.ExchangeTimestampGrace"/>.</summary>
    public static readonly TimeSpan ExchangeTimestampGraceLimit = TimeSpan.FromDays(7);

    /// <summary>The largest allowed <see cref="TickValidationOptions.LastTradeTimeGrace"/>.</summary>
    public static readonly TimeSpan LastTradeTimeGraceLimit = TimeSpan.FromDays(366);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TickValidationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var prefix = TickValidationOptions.SectionName + ":";

        if (!Enum.IsDefined(options.Mode))
        {
            failures.Add($"{prefix}{nameof(options.Mode)} must be Off, Lenient or Strict (was {(int)options.Mode}).");
        }

        if (!double.IsFinite(options.MaxUnderlyingPrice) || options.MaxUnderlyingPrice <= 0)
        {
            failures.Add($"{prefix}{nameof(options.MaxUnderlyingPrice)} must be a finite number > 0 (was {options.MaxUnderlyingPrice}).");
        }

        if (options.MaxOi <= 0)
        {
            failures.Add($"{prefix}{nameof(options.MaxOi)} must be in 1..{long.MaxValue} (was {options.MaxOi}).");
        }

        CheckSpan(failures, prefix + nameof(options.MaxFutureSkew), options.MaxFutureSkew, MaxFutureSkewLimit);
        CheckSpan(failures, prefix + nameof(options.ExchangeTimestampGrace), options.ExchangeTimestampGrace, ExchangeTimestampGraceLimit);
        CheckSpan(failures, prefix + nameof(options.LastTradeTimeGrace), options.LastTradeTimeGrace, LastTradeTimeGraceLimit);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckSpan(List<string> failures, string property, TimeSpan value, TimeSpan limit)
    {
        if (value < TimeSpan.Zero || value > limit)
        {
            failures.Add($"{property} must be in 00:00:00..{limit} (was {value}).");
        }
    }
}
