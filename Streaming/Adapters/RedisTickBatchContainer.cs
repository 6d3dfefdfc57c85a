using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;
using Ticker.Grains.Interfaces.Streams;

namespace Ticker.Streaming.Adapters;

/// <summary>
/// One Redis stream entry as Orleans delivers it: the <see cref="TickBatch"/> of one stream and a sequence token made
/// of the entry id (<see cref="StreamSequenceToken.SequenceNumber"/> = the id's milliseconds,
/// <see cref="StreamSequenceToken.EventIndex"/> = its sequence), so tokens order exactly as Redis ids do and a
/// consumer can turn a token back into the entry id. The request context is not carried.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class RedisTickBatchContainer : IBatchContainer
{
    /// <summary>Creates the container of entry <paramref name="entryId"/>.</summary>
    public RedisTickBatchContainer(StreamId streamId, TickBatch batch, StreamEntryId entryId)
    {
        StreamId = streamId;
        Batch = batch;
        Token = new EventSequenceTokenV2(entryId.Milliseconds, checked((int)entryId.Sequence));
    }

    /// <inheritdoc />
    [Id(0)]
    public StreamId StreamId { get; }

    /// <summary>The ticks of the entry.</summary>
    [Id(1)]
    public TickBatch Batch { get; }

    /// <summary>The entry's position: its Redis id.</summary>
    [Id(2)]
    public EventSequenceTokenV2 Token { get; }

    /// <inheritdoc />
    public StreamSequenceToken SequenceToken => Token;

    /// <summary>The Redis entry id, <c>ms-seq</c>.</summary>
    public StreamEntryId EntryId => new(Token.SequenceNumber, Token.EventIndex);

    /// <inheritdoc />
    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        if (Batch is T item)
        {
            yield return Tuple.Create(item, (StreamSequenceToken)Token);
        }
    }

    /// <inheritdoc />
    public bool ImportRequestContext() => false;

    /// <inheritdoc />
    public override string ToString() => $"[RedisTickBatchContainer:Stream={StreamId},Entry={EntryId},Bytes={Batch.Payload.Length}]";
}
