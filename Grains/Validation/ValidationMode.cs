namespace Ticker.Grains.Validation;

/// <summary>What validation does with a batch that holds invalid ticks.</summary>
public enum ValidationMode
{
    /// <summary>No validation: every tick passes (for tests and for feeds that are trusted).</summary>
    Off,

    /// <summary>Invalid ticks are dropped and counted; the valid ones in the batch go on (the default).</summary>
    Lenient,

    /// <summary>One invalid tick rejects the whole batch; every invalid tick is counted.</summary>
    Strict,
}
