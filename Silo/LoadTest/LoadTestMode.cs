namespace Ticker.Silo.LoadTest;

/// <summary>How long each scenario runs.</summary>
internal enum LoadTestMode
{
    /// <summary>The test suite's: a few seconds per scenario.</summary>
    Quick,

    /// <summary>The default: tens of seconds per scenario.</summary>
    Default,

    /// <summary>The durations (sustained runs ten minutes).</summary>
    Full,
}
