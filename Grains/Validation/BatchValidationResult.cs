namespace Ticker.Grains.Validation;

/// <summary>The outcome of <see cref="TickValidator.ValidateBatch"/>.</summary>
/// <param name="ValidCount">
/// How many ticks go on: they are the first <paramref name="ValidCount"/> of the span, in their original order.
/// 0 when the batch was rejected.
/// </param>
/// <param name="InvalidCount">How many ticks broke a rule (in every mode but <see cref="ValidationMode.Off"/>).</param>
/// <param name="Rejected">True when strict mode rejected the whole batch.</param>
public readonly record struct BatchValidationResult(int ValidCount, int InvalidCount, bool Rejected);
