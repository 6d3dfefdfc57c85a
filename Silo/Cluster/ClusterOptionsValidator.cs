using Microsoft.Extensions.Options;
using Ticker.Silo.Options;

namespace Ticker.Silo.Cluster;

/// <summary>Validates <see cref="ClusterOptions"/>.</summary>
public sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        var errors = new List<string>();
        OptionChecks.Range(errors, "Cluster:LeasePeriod", options.LeasePeriod, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        return OptionChecks.Result(errors);
    }
}
