using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;
using Orleans.Runtime;
using StackExchange.Redis;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Streaming.Adapters;
using Ticker.Streaming.Statistics;

namespace Ticker.Streaming.Protocol;

/// <summary>
/// The format of one queue entry (README of this project): <c>n</c> = stream namespace, <c>s</c> = stream key,
/// <c>t</c> = when the producer wrote it (Unix µs), <c>p</c> = the producer's id (recognises its own entry after a lost
/// reply), <c>z</c> = the size of one <see cref="Tick"/> (the layout), <c>k</c> = the ticks as a <see cref="TickPayload"/>.
/// </summary>
internal static class RedisTickEntry
{
    /// <summary>The stream namespace field.</summary>
    public static readonly RedisValue Namespace = "n";

    /// <summary>The stream key field.</summary>
    public static readonly RedisValue Key = "s";

    /// <summary>The write time field (Unix µs).</summary>
    public static readonly RedisValue WrittenAt = "t";

    /// <summary>The producer id field.</summary>
    public static readonly RedisValue Producer = "p";

    /// <summary>The tick size field.</summary>
    public static readonly RedisValue TickSize = "z";

    /// <summary>The ticks field.</summary>
    public static readonly RedisValue Ticks = "k";

    /// <summary>The fields of the entry that carries <paramref name="batch"/> of <paramref name="streamId"/>.</summary>
    public static NameValueEntry[] Encode(StreamId streamId, TickBatch batch, RedisValue producer, long writtenAtUs) =>
    [
        new(Namespace, streamId.Namespace),
        new(Key, streamId.Key),
        new(WrittenAt, writtenAtUs),
        new(Producer, producer),
        new(TickSize, batch.TickSize),
        new(Ticks, batch.Payload),
    ];

    /// <summary>Parses an entry id of the form <c>ms-seq</c>.</summary>
    public static bool TryParseId(RedisValue id, out StreamEntryId parsed)
    {
        parsed = default;
        var text = (string?)id;
        if (text is null || text.Length > StreamEntryId.MaxUtf8Length)
        {
            return false;
        }

        Span<byte> utf8 = stackalloc byte[StreamEntryId.MaxUtf8Length];
        var length = Encoding.ASCII.GetBytes(text, utf8);
        return StreamEntryId.TryParse(utf8[..length], out parsed);
    }

    /// <summary>Formats an entry id as Redis does.</summary>
    public static RedisValue FormatId(StreamEntryId id) => id.ToString();

    /// <summary>Turns an entry read from Redis into a batch container, or says why it cannot be one.</summary>
    /// <remarks>Allocates the container; the batch wraps the payload array the reply was read into, not a copy.</remarks>
    public static bool TryDecode(StreamEntry entry, out RedisTickBatchContainer? container, out DeadLetterReason reason)
    {
        container = null;
        reason = default;
        if (!TryParseId(entry.Id, out var id) || id.Milliseconds <= 0 || id.Sequence > int.MaxValue)
        {
            reason = DeadLetterReason.ImpossibleId;
            return false;
        }

        var ns = entry[Namespace];
        var key = entry[Key];
        var size = entry[TickSize];
        var ticks = entry[Ticks];
        if (ns.IsNull || key.IsNullOrEmpty || size.IsNullOrEmpty || ticks.IsNullOrEmpty)
        {
            reason = DeadLetterReason.MissingField;
            return false;
        }

        byte[] payload = ticks!;
        byte[] sizeText = size!;
        if (!Utf8Parser.TryParse(sizeText, out int tickSize, out var consumed) || consumed != sizeText.Length || tickSize <= 0)
        {
            reason = DeadLetterReason.BadPayloadSize;
            return false;
        }

        if (tickSize != Unsafe.SizeOf<Tick>())
        {
            reason = DeadLetterReason.TickSizeMismatch;
            return false;
        }

        if (!TickPayload.TryCount(payload, out _))
        {
            reason = DeadLetterReason.BadPayloadSize;
            return false;
        }

        var streamId = StreamId.Create(((byte[])ns!).AsSpan(), ((byte[])key!).AsSpan());
        container = new RedisTickBatchContainer(streamId, TickBatch.Wrap(payload), id);
        return true;
    }
}
