using Microsoft.Extensions.Options;

namespace Ticker.Silo.Options;

/// <summary>Shared range checks that phrase failures the same way everywhere.</summary>
internal static class OptionChecks
{
    public static void Range<T>(List<string> errors, string name, T value, T min, T max)
        where T : IComparable<T>
    {
        // NaN compares below everything, so it fails the lower bound.
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0 || (value is double d && double.IsNaN(d)))
        {
            errors.Add($"{name} must be between {min} and {max} (was {value})");
        }
    }

    public static ValidateOptionsResult Result(List<string> errors) =>
        errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
}
