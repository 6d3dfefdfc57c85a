using Microsoft.Extensions.Options;

namespace Ticker.Silo.Options;

/// <summary>Validates <see cref="FeedOptions"/>.</summary>
public sealed class FeedOptionsValidator : IValidateOptions<FeedOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, FeedOptions options)
    {
        var errors = new List<string>();
        OptionChecks.Range(errors, "Feed:Rate", options.Rate, 0, 10_000_000);
        return OptionChecks.Result(errors);
    }
}
