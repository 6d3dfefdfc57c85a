using System.Text.Json;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Pricing;
using Ticker.Grains.Interfaces.Snapshots;

namespace Ticker.Protocol.Redis;

/// <summary>
/// The compact snapshot objects published on <c>tick:updates:{underlying}</c>: each flush publishes one JSON array
/// of them per underlying. Shared by the writer (the silo's snapshot sink) and the readers (the client library).
/// </summary>
/// <remarks>
/// An object holds <c>instrument_token</c>, <c>kind</c>, <c>last_price</c>, <c>volume_traded</c>, <c>oi</c>,
/// <c>ticks</c>, <c>exchange_timestamp</c>, <c>received_at_us</c> and, for options, <c>iv_status</c> and (when it is
/// <c>ok</c>) <c>iv</c>, <c>delta</c>, <c>gamma</c>, <c>vega</c>, <c>theta</c>, <c>rho</c>. The full state is in the
/// <c>tick:snap:{token}</c> hash.
/// </remarks>
public static class SnapshotUpdateJson
{
    /// <summary>Writes the compact object of one snapshot.</summary>
    /// <param name="json">The writer.</param>
    /// <param name="s">The snapshot.</param>
    /// <remarks>Allocates nothing.</remarks>
    public static void Write(Utf8JsonWriter json, in InstrumentSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(json);
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

    /// <summary>
    /// Reads one compact object (the reader positioned on its <see cref="JsonTokenType.StartObject"/>; left on its
    /// <see cref="JsonTokenType.EndObject"/>). Fields the object lacks stay zero; unknown fields are skipped.
    /// </summary>
    /// <param name="reader">The reader.</param>
    /// <param name="s">The snapshot, holding only the compact fields.</param>
    /// <returns>False when the object has no instrument token.</returns>
    /// <exception cref="JsonException">The JSON is malformed or a field has the wrong type.</exception>
    /// <exception cref="InvalidOperationException">A field has the wrong JSON type.</exception>
    public static bool TryRead(ref Utf8JsonReader reader, out InstrumentSnapshot s)
    {
        s = default;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected an object, found {reader.TokenType}.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var escaped = reader.ValueIsEscaped;
            var name = reader.ValueSpan;
            reader.Read();
            if (escaped)
            {
                reader.Skip();
                continue;
            }

            switch (name)
            {
                case var n when n.SequenceEqual("instrument_token"u8): s.InstrumentToken = reader.GetUInt32(); break;
                case var n when n.SequenceEqual("kind"u8): s.Kind = ParseKind(reader.ValueSpan); break;
                case var n when n.SequenceEqual("last_price"u8): s.LastPrice = reader.GetDouble(); break;
                case var n when n.SequenceEqual("volume_traded"u8): s.VolumeTraded = reader.GetInt64(); break;
                case var n when n.SequenceEqual("oi"u8): s.Oi = reader.GetInt64(); break;
                case var n when n.SequenceEqual("ticks"u8): s.Ticks = reader.GetInt64(); break;
                case var n when n.SequenceEqual("exchange_timestamp"u8): s.ExchangeTimestamp = reader.GetInt64(); break;
                case var n when n.SequenceEqual("received_at_us"u8): s.ReceivedAtUs = reader.GetInt64(); break;
                case var n when n.SequenceEqual("iv_status"u8): s.IvStatus = ParseIvStatus(reader.ValueSpan); break;
                case var n when n.SequenceEqual("iv"u8): s.Iv = reader.GetDouble(); break;
                case var n when n.SequenceEqual("delta"u8): s.Greeks.Delta = reader.GetDouble(); break;
                case var n when n.SequenceEqual("gamma"u8): s.Greeks.Gamma = reader.GetDouble(); break;
                case var n when n.SequenceEqual("vega"u8): s.Greeks.Vega = reader.GetDouble(); break;
                case var n when n.SequenceEqual("theta"u8): s.Greeks.Theta = reader.GetDouble(); break;
                case var n when n.SequenceEqual("rho"u8): s.Greeks.Rho = reader.GetDouble(); break;
                default: reader.Skip(); break;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw new JsonException($"Expected a property or the end of the object, found {reader.TokenType}.");
        }

        return s.InstrumentToken != 0;
    }

    private static InstrumentKind ParseKind(ReadOnlySpan<byte> value) =>
        value.SequenceEqual("call"u8) ? InstrumentKind.Call
        : value.SequenceEqual("put"u8) ? InstrumentKind.Put
        : value.SequenceEqual("future"u8) ? InstrumentKind.Future
        : InstrumentKind.Underlying;

    private static IvStatus ParseIvStatus(ReadOnlySpan<byte> value)
    {
        for (var status = IvStatus.None; status <= IvStatus.NoUnderlyingPrice; status++)
        {
            if (value.SequenceEqual(SnapshotHash.IvStatusName(status)))
            {
                return status;
            }
        }

        return IvStatus.None;
    }
}
