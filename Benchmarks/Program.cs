using BenchmarkDotNet.Running;

namespace Ticker.Benchmarks;

/// <summary>Entry point: <c>./ticker bench [FILTER]</c> runs the benchmarks whose names match.</summary>
public static class BenchmarkProgram
{
    /// <summary>Runs BenchmarkDotNet's switcher over this assembly.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
}
