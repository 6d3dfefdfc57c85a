namespace Ticker.Grains.Interfaces.Streams;

/// <summary>
/// The silo side of one shard of the tick stream. Exactly one shard worker reads a shard, so implementations need
/// not be thread-safe for reading; acknowledgements may come from the shard's flusher.
/// </summary>
public interface ITickStreamReader : IAsyncDisposable
{
    /// <summary>The shard this reader reads.</summary>
    int Shard { get; }

    /// <summary>
    /// Whether an entry can be read without waiting (it is already in memory). False means the input is idle as far
    /// as this reader knows, so a worker may flush at once instead of asking the stream again.
    /// </summary>
    bool HasBuffered { get; }

    /// <summary>
    /// Returns the next entry, or null when none arrived within <paramref name="maxWait"/>
    /// (<see cref="TimeSpan.Zero"/>: only what is already there). With <paramref name="cancellationToken"/> already
    /// cancelled it hands out only entries it holds in memory and never fetches (claims) more: the shutdown drain.
    /// </summary>
    ValueTask<TickStreamEntry?> ReadAsync(TimeSpan maxWait, CancellationToken cancellationToken);

    /// <summary>Acknowledges entries whose output is durably written; they will not be delivered again.</summary>
    ValueTask AckAsync(ReadOnlyMemory<StreamEntryId> ids, CancellationToken cancellationToken);

    /// <summary>Returns an entry (and its buffer) to the reader's pool once its ticks are applied.</summary>
    void Release(TickStreamEntry entry);
}
