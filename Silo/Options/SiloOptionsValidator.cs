using Microsoft.Extensions.Options;

namespace Ticker.Silo.Options;

/// <summary>Validates <see cref="SiloOptions"/>; a failure names the property and its allowed range.</summary>
public sealed class SiloOptionsValidator : IValidateOptions<SiloOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SiloOptions options)
    {
        var errors = new List<string>();
        OptionChecks.Range(errors, "Silo:ShardCount", options.ShardCount, 1, 1024);
        OptionChecks.Range(errors, "Silo:DrainTimeout", options.DrainTimeout, TimeSpan.Zero, TimeSpan.FromMinutes(5));
        if (string.IsNullOrWhiteSpace(options.SiloId))
        {
            errors.Add("Silo:SiloId must not be empty");
        }

        return OptionChecks.Result(errors);
    }
}
