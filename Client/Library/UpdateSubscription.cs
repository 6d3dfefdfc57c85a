using System.Collections.Frozen;
using System.Threading.Channels;

namespace Ticker.Client.Library;

/// <summary>
/// One enumeration of <see cref="TickerClient.SubscribeAsync(string, CancellationToken)"/>: the channels it listens
/// to, the tokens it keeps (all when none) and its bounded buffer, which drops the oldest update when full.
/// </summary>
internal sealed class UpdateSubscription
{
    private readonly Channel<SnapshotUpdate> _buffer;
    private readonly FrozenSet<uint>? _tokens;
    private long _dropped;

    /// <summary>Creates the subscription.</summary>
    /// <param name="channels">The Redis channels (<c>tick:updates:{NAME}</c>).</param>
    /// <param name="tokens">The tokens to keep, or null for every instrument on the channels.</param>
    /// <param name="capacity">The buffer's capacity.</param>
    /// <param name="onDropped">Called (on the dispatching thread) for each update dropped.</param>
    public UpdateSubscription(string[] channels, FrozenSet<uint>? tokens, int capacity, Action onDropped)
    {
        Channels = channels;
        _tokens = tokens;
        _buffer = Channel.CreateBounded<SnapshotUpdate>(
            new BoundedChannelOptions(capacity)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleReader = true,
                SingleWriter = true,
            },
            _ =>
            {
                Interlocked.Increment(ref _dropped);
                onDropped();
            });
    }

    /// <summary>The Redis channels.</summary>
    public string[] Channels { get; }

    /// <summary>The buffered updates.</summary>
    public ChannelReader<SnapshotUpdate> Reader => _buffer.Reader;

    /// <summary>How many updates this subscription has dropped.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Whether the subscription keeps updates of <paramref name="token"/>.</summary>
    /// <param name="token">The instrument token.</param>
    /// <returns>True when it does.</returns>
    public bool Wants(uint token) => _tokens is null || _tokens.Contains(token);

    /// <summary>Buffers an update, dropping the oldest when full (never waits).</summary>
    /// <param name="update">The update.</param>
    public void Offer(in SnapshotUpdate update) => _buffer.Writer.TryWrite(update);

    /// <summary>Ends the enumeration once the buffered updates are read.</summary>
    public void Complete() => _buffer.Writer.TryComplete();
}
