using Orleans.Streams;
using Orleans.Streams.Core;
using Ticker.Grains.Interfaces.Streams;

namespace Ticker.Benchmarks.Orleans;

/// <summary>Counts the ticks of the <c>TickBatch</c> events delivered to it (implicit subscription), into <see cref="Delivered"/>.</summary>
[ImplicitStreamSubscription(OrleansMessagingBenchmarks.StreamNamespace)]
public sealed class CountingGrain : Grain, ICountingGrain, IStreamSubscriptionObserver, IAsyncObserver<TickBatch>
{
    private static long s_delivered;

    /// <summary>Ticks delivered to every counting grain of this process.</summary>
    public static long Delivered => Volatile.Read(ref s_delivered);

    /// <inheritdoc />
    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) => handleFactory.Create<TickBatch>().ResumeAsync(this);

    /// <inheritdoc />
    public Task OnNextAsync(TickBatch item, StreamSequenceToken? token = null)
    {
        Interlocked.Add(ref s_delivered, item.TryCount(out var count) ? count : 0);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task OnCompletedAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}
