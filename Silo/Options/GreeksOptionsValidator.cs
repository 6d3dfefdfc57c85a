using Microsoft.Extensions.Options;
using Ticker.Grains.Market;

namespace Ticker.Silo.Options;

/// <summary>Validates <see cref="GreeksOptions"/>.</summary>
public sealed class GreeksOptionsValidator : IValidateOptions<GreeksOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, GreeksOptions options)
    {
        var errors = new List<string>();
        OptionChecks.Range(errors, "Greeks:RiskFreeRate", options.RiskFreeRate, -0.1, 1.0);
        OptionChecks.Range(errors, "Greeks:DividendYield", options.DividendYield, -0.1, 1.0);
        return OptionChecks.Result(errors);
    }
}
