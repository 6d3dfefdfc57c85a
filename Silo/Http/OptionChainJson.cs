using System.Globalization;
using System.Text.Json;
using Ticker.Client.Library;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Snapshots;

namespace Ticker.Silo.Http;

/// <summary>The one JSON form of an option chain: <c>/api/chain</c> and <c>./ticker chain --json</c> both write it.</summary>
public static class OptionChainJson
{
    /// <summary>
    /// Writes <c>{underlying, underlying_token, underlying_price, expiry, strikes: [{strike, call, put}]}</c>; a side is a
    /// snapshot object (see <see cref="SnapshotJson"/>) or null.
    /// </summary>
    public static void Write(Utf8JsonWriter json, OptionChain chain, InstrumentMaster master)
    {
        json.WriteStartObject();
        json.WriteString("underlying", chain.Underlying);
        json.WriteNumber("underlying_token", chain.UnderlyingToken);
        if (chain.UnderlyingPrice is { } price)
        {
            json.WriteNumber("underlying_price", price);
        }
        else
        {
            json.WriteNull("underlying_price");
        }

        json.WriteString("expiry", chain.Expiry.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        json.WriteStartArray("strikes");
        foreach (var row in chain.Rows)
        {
            json.WriteStartObject();
            json.WriteNumber("strike", row.Strike);
            WriteSide(json, "call", row.Call, row.CallToken, master);
            WriteSide(json, "put", row.Put, row.PutToken, master);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteSide(Utf8JsonWriter json, string name, InstrumentSnapshot? snapshot, uint token, InstrumentMaster master)
    {
        json.WritePropertyName(name);
        if (snapshot is { } s)
        {
            master.TryGet(token, out var instrument);
            SnapshotJson.Write(json, s, instrument);
        }
        else
        {
            json.WriteNullValue();
        }
    }
}
