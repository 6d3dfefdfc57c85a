using Microsoft.Extensions.Options;
using Ticker.Grains.Batching;

namespace Ticker.Silo.Options;

/// <summary>Validates <see cref="BatchingOptions"/>.</summary>
public sealed class BatchingOptionsValidator : IValidateOptions<BatchingOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, BatchingOptions options)
    {
        var errors = new List<string>();
        OptionChecks.Range(errors, "Batching:WindowMs", options.WindowMs, 1, 10_000);
        OptionChecks.Range(errors, "Batching:MaxBatchSize", options.MaxBatchSize, 1, 100_000);
        OptionChecks.Range(errors, "Batching:MaxPendingBatches", options.MaxPendingBatches, 1, 1_000);
        return OptionChecks.Result(errors);
    }
}
