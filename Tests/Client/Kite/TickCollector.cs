using Ticker.Grains.Interfaces.Streams;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Tests.Client.Kite;

/// <summary>A tick stream that keeps everything written to it (thread-safe), for assertions.</summary>
internal sealed class TickCollector : ITickStreamWriter
{
    private readonly List<Tick> _ticks = [];
    private readonly Dictionary<uint, Tick> _last = [];
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _ticks.Count;
            }
        }
    }

    public int DistinctTokens
    {
        get
        {
            lock (_lock)
            {
                return _last.Count;
            }
        }
    }

    public Tick[] Snapshot()
    {
        lock (_lock)
        {
            return [.. _ticks];
        }
    }

    public bool TryGetLast(uint token, out Tick tick)
    {
        lock (_lock)
        {
            return _last.TryGetValue(token, out tick);
        }
    }

    public bool HasAll(IEnumerable<uint> tokens)
    {
        lock (_lock)
        {
            return tokens.All(_last.ContainsKey);
        }
    }

    public ValueTask WriteAsync(ReadOnlyMemory<Tick> ticks, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var tick in ticks.Span)
            {
                _ticks.Add(tick);
                _last[tick.InstrumentToken] = tick;
            }
        }

        return ValueTask.CompletedTask;
    }
}
