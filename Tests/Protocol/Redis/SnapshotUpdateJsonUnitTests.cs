using System.Buffers;
using System.Text.Json;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Pricing;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Protocol.Redis;

namespace Ticker.Tests.Protocol.Redis;

public sealed class SnapshotUpdateJsonUnitTests
{
    [Fact]
    public void Round_trips_the_published_fields_of_options_and_underlyings()
    {
        var call = new InstrumentSnapshot
        {
            InstrumentToken = 12_345_602,
            Kind = InstrumentKind.Call,
            LastPrice = 123.45,
            VolumeTraded = 1_000,
            Oi = 50_000,
            Ticks = 17,
            ExchangeTimestamp = 1_762_000_000,
            ReceivedAtUs = 1_762_000_000_123_456,
            IvStatus = IvStatus.Ok,
            Iv = 0.1432,
            Greeks = new Greeks { Delta = 0.51, Gamma = 0.00042, Vega = 12.5, Theta = -8.25, Rho = 3.1 },
        };
        var put = new InstrumentSnapshot { InstrumentToken = 7, Kind = InstrumentKind.Put, LastPrice = 0.05, IvStatus = IvStatus.BelowIntrinsic, Iv = 0.3 };
        var index = new InstrumentSnapshot { InstrumentToken = 256_265, Kind = InstrumentKind.Underlying, LastPrice = 24_012.35, Ticks = 3, BarOpen = 1 };

        var read = RoundTrip(call, put, index);

        Assert.Equal(3, read.Count);
        Assert.Equal(call, read[0]);

        // An undefined IV publishes only its status: IV and Greeks read back as zero.
        Assert.Equal(put with { Iv = 0 }, read[1]);

        // Bars are not published per update.
        Assert.Equal(index with { BarOpen = 0 }, read[2]);
    }

    [Fact]
    public void An_object_without_a_token_is_reported_and_unknown_fields_are_skipped()
    {
        var reader = new Utf8JsonReader("""{"last_price":1.5,"new_field":{"a":[1]},"kind":"future"}"""u8);
        reader.Read();

        Assert.False(SnapshotUpdateJson.TryRead(ref reader, out var snapshot));
        Assert.Equal(1.5, snapshot.LastPrice);
        Assert.Equal(InstrumentKind.Future, snapshot.Kind);
        Assert.Equal(JsonTokenType.EndObject, reader.TokenType);
    }

    [Fact]
    public void A_field_of_the_wrong_type_throws()
    {
        var reader = new Utf8JsonReader("""{"instrument_token":"abc"}"""u8);
        reader.Read();

        try
        {
            SnapshotUpdateJson.TryRead(ref reader, out _);
            Assert.Fail("no exception");
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static List<InstrumentSnapshot> RoundTrip(params InstrumentSnapshot[] snapshots)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var s in snapshots)
            {
                SnapshotUpdateJson.Write(json, s);
            }

            json.WriteEndArray();
        }

        var read = new List<InstrumentSnapshot>();
        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            Assert.True(SnapshotUpdateJson.TryRead(ref reader, out var s));
            read.Add(s);
        }

        return read;
    }
}
