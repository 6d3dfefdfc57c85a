namespace Ticker.Silo.Metrics;

/// <summary>
/// Read-callbacks registered by the components that own a value (each batcher's pending size, say), summed when an
/// observable gauge is collected. Registration returns a handle whose disposal removes the callback.
/// </summary>
internal sealed class GaugeSources
{
    private readonly Lock _lock = new();
    private Func<long>[] _sources = [];

    /// <summary>Registers a callback; dispose the result to remove it.</summary>
    public IDisposable Add(Func<long> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        lock (_lock)
        {
            _sources = [.. _sources, source];
        }

        return new Registration(this, source);
    }

    /// <summary>The sum of every registered callback's value (0 when none is registered).</summary>
    public long Sum()
    {
        long sum = 0;
        foreach (var source in Volatile.Read(ref _sources))
        {
            sum += source();
        }

        return sum;
    }

    private void Remove(Func<long> source)
    {
        lock (_lock)
        {
            var index = Array.IndexOf(_sources, source);
            if (index >= 0)
            {
                _sources = [.. _sources.AsSpan(0, index), .. _sources.AsSpan(index + 1)];
            }
        }
    }

    private sealed class Registration(GaugeSources owner, Func<long> source) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Remove(source);
            }
        }
    }
}
