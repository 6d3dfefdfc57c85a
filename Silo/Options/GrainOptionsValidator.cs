using Microsoft.Extensions.Options;
using Ticker.Grains.Market;

namespace Ticker.Silo.Options;

/// <summary>Validates <see cref="GrainOptions"/>.</summary>
public sealed class GrainOptionsValidator : IValidateOptions<GrainOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, GrainOptions options)
    {
        var errors = new List<string>();
        OptionChecks.Range(errors, "Grains:BarInterval", options.BarInterval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        if (options.BarInterval.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            errors.Add($"Grains:BarInterval must be whole seconds (was {options.BarInterval})");
        }

        OptionChecks.Range(errors, "Grains:IdleDeactivation", options.IdleDeactivation, TimeSpan.FromSeconds(2), TimeSpan.FromDays(1));
        return OptionChecks.Result(errors);
    }
}
