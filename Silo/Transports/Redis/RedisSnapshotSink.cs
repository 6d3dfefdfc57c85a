using System.Buffers;
using System.Text;
using System.Text.Json;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Pricing;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Protocol.Redis;
using Ticker.Protocol.Resp;

namespace Ticker.Silo.Transports.Redis;

/// <summary>
/// Writes each flushed batch to Redis in one pipelined round trip: <c>HSET tick:snap:{token}</c> per instrument (its
/// latest snapshot in the batch), a
/// <c>ZADD tick:chain:{underlying}:{expiry}</c> the first time this process sees an option, and one <c>PUBLISH
/// tick:updates:{underlying}</c> per underlying with the batch's snapshots as a JSON array. Idempotent: writing the same
/// batch twice leaves the same state.
/// </summary>
public sealed class RedisSnapshotSink : ISnapshotSink
{
    private readonly RedisConnector _connector;
    private readonly InstrumentMaster _master;
    private readonly bool _publish;
    private readonly byte[][] _keys;
    private readonly byte[][] _symbols;
    private readonly int[] _channelOf;
    private readonly byte[][] _channels;
    private readonly string?[] _chainKeys;
    private readonly int[] _indexed;
    private readonly int[] _writtenIn;
    private int _generation;
    private readonly Stack<Scratch> _scratch = new();

    /// <summary>Creates the sink for <paramref name="master"/>'s instruments.</summary>
    public RedisSnapshotSink(RedisConnector connector, InstrumentMaster master, RedisTransportOptions options)
    {
        _connector = connector;
        _master = master;
        _publish = options.PublishUpdates;
        var count = master.Count;
        _keys = new byte[count][];
        _symbols = new byte[count][];
        _channelOf = new int[count];
        _chainKeys = new string?[count];
        _indexed = new int[count];
        _writtenIn = new int[count];
        var names = UnderlyingNames.Build(master);
        var channels = new List<string>();
        for (var id = 0; id < count; id++)
        {
            var instrument = master[id];
            _keys[id] = Encoding.UTF8.GetBytes(TickerKeys.Snapshot(instrument.InstrumentToken));
            _symbols[id] = Encoding.UTF8.GetBytes(instrument.TradingSymbol);
            var name = names.NameOf(instrument);
            var channel = channels.IndexOf(name);
            if (channel < 0)
            {
                channels.Add(name);
                channel = channels.Count - 1;
            }

            _channelOf[id] = channel;
            if (instrument.IsOption && instrument.Expiry is { } expiry && instrument.UnderlyingToken != 0)
            {
                _chainKeys[id] = TickerKeys.Chain(name, expiry);
            }
        }

        _channels = [.. channels.Select(c => Encoding.UTF8.GetBytes(TickerKeys.Updates(c)))];
    }

    /// <inheritdoc />
    public async ValueTask WriteAsync(ReadOnlyMemory<InstrumentSnapshot> underlyings, ReadOnlyMemory<InstrumentSnapshot> options, CancellationToken cancellationToken)
    {
        var redis = await _connector.GetAsync(cancellationToken).ConfigureAwait(false);
        var scratch = Rent();
        try
        {
            // A hash holds the latest state: within a batch only each instrument's last snapshot is written. Shards
            // flush concurrently but own disjoint instruments, so each call's generation marks only its own ids.
            var generation = Interlocked.Increment(ref _generation);
            Write(scratch, underlyings.Span, generation);
            Write(scratch, options.Span, generation);
            if (_publish)
            {
                Publish(scratch, underlyings.Span, options.Span);
            }

            await redis.ExecuteAsync(scratch.Batch, null, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // A failed batch is written again whole; forget which options this attempt meant to index.
            scratch.Batch.Clear();
            foreach (var id in scratch.NewlyIndexed)
            {
                Volatile.Write(ref _indexed[id], 0);
            }

            throw;
        }
        finally
        {
            scratch.NewlyIndexed.Clear();
            Return(scratch);
        }
    }

    private void Write(Scratch scratch, ReadOnlySpan<InstrumentSnapshot> snapshots, int generation)
    {
        for (var i = snapshots.Length - 1; i >= 0; i--)
        {
            ref readonly var s = ref snapshots[i];
            if (!_master.TryGetId(s.InstrumentToken, out var id) || _writtenIn[id] == generation)
            {
                continue;
            }

            _writtenIn[id] = generation;

            SnapshotHash.Write(scratch.Batch, _keys[id], in s, _symbols[id]);
            if (_chainKeys[id] is { } chain && Interlocked.Exchange(ref _indexed[id], 1) == 0)
            {
                scratch.NewlyIndexed.Add(id);
                scratch.Batch.BeginCommand(4);
                scratch.Batch.Arg("ZADD"u8);
                scratch.Batch.Arg(chain);
                scratch.Batch.Arg(s.Strike);
                scratch.Batch.Arg((long)s.InstrumentToken);
            }
        }
    }

    private void Publish(Scratch scratch, ReadOnlySpan<InstrumentSnapshot> underlyings, ReadOnlySpan<InstrumentSnapshot> options)
    {
        for (var channel = 0; channel < _channels.Length; channel++)
        {
            scratch.Buffer.ResetWrittenCount();
            scratch.Json.Reset(scratch.Buffer);
            scratch.Json.WriteStartArray();
            var any = WriteUpdates(scratch.Json, channel, underlyings) | WriteUpdates(scratch.Json, channel, options);
            scratch.Json.WriteEndArray();
            scratch.Json.Flush();
            if (any)
            {
                scratch.Batch.BeginCommand(3);
                scratch.Batch.Arg("PUBLISH"u8);
                scratch.Batch.Arg(_channels[channel]);
                scratch.Batch.Arg(scratch.Buffer.WrittenSpan);
            }
        }
    }

    private bool WriteUpdates(Utf8JsonWriter json, int channel, ReadOnlySpan<InstrumentSnapshot> snapshots)
    {
        var any = false;
        foreach (ref readonly var s in snapshots)
        {
            if (!_master.TryGetId(s.InstrumentToken, out var id) || _channelOf[id] != channel)
            {
                continue;
            }

            any = true;
            json.WriteStartObject();
            json.WriteNumber("instrument_token"u8, s.InstrumentToken);
            json.WriteString("kind"u8, SnapshotHash.KindName(s.Kind));
            json.WriteNumber("last_price"u8, s.LastPrice);
            json.WriteNumber("volume_traded"u8, s.VolumeTraded);
            json.WriteNumber("oi"u8, s.Oi);
            json.WriteNumber("ticks"u8, s.Ticks);
            json.WriteNumber("exchange_timestamp"u8, s.ExchangeTimestamp);
            json.WriteNumber("received_at_us"u8, s.ReceivedAtUs);
            if (s.IsOption)
            {
                json.WriteString("iv_status"u8, SnapshotHash.IvStatusName(s.IvStatus));
                if (s.IvStatus == IvStatus.Ok)
                {
                    json.WriteNumber("iv"u8, s.Iv);
                    json.WriteNumber("delta"u8, s.Greeks.Delta);
                    json.WriteNumber("gamma"u8, s.Greeks.Gamma);
                    json.WriteNumber("vega"u8, s.Greeks.Vega);
                    json.WriteNumber("theta"u8, s.Greeks.Theta);
                    json.WriteNumber("rho"u8, s.Greeks.Rho);
                }
            }

            json.WriteEndObject();
        }

        return any;
    }

    private Scratch Rent()
    {
        lock (_scratch)
        {
            return _scratch.Count > 0 ? _scratch.Pop() : new Scratch();
        }
    }

    private void Return(Scratch scratch)
    {
        lock (_scratch)
        {
            _scratch.Push(scratch);
        }
    }

    /// <summary>One flusher's working buffers (a flush borrows one; shards flush concurrently).</summary>
    private sealed class Scratch
    {
        public RedisBatch Batch { get; } = new(256 * 1024);

        public ArrayBufferWriter<byte> Buffer { get; } = new(64 * 1024);

        public Utf8JsonWriter Json { get; } = new(new ArrayBufferWriter<byte>());

        public List<int> NewlyIndexed { get; } = [];
    }
}
