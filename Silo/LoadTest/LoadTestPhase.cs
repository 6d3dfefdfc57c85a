namespace Ticker.Silo.LoadTest;

/// <summary>One silo + feed run: what the feed offers and how the silo is started.</summary>
/// <param name="Name">Row name in the summary, e.g. <c>baseline.paced</c>.</param>
/// <param name="Instruments">Synthetic instruments fed.</param>
/// <param name="Rate">Ticks per second offered (0: as fast as the feed goes).</param>
/// <param name="Seconds">Feed duration.</param>
/// <param name="SiloFlags">Extra silo flags (<c>--conflate</c>, <c>--no-batching</c>).</param>
/// <param name="Greeks">Whether Greeks are on in the silo.</param>
/// <param name="Ticks">Stop the feed after this many ticks (the burst), or null.</param>
/// <param name="Quick">The phase quick mode keeps of a scenario with several: the one with the scenario's own silo settings.</param>
internal sealed record LoadTestPhase(string Name, int Instruments, double Rate, double Seconds, string[] SiloFlags, bool Greeks = true, long? Ticks = null, bool Quick = false);
