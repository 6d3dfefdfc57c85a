using Ticker.Grains.Interfaces.Accounts;
using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Ticker.Protocol.Redis;

/// <summary>
/// The JSON of one <c>tick:accounts</c> hash value, shared by the feeds that write it and the readers (client
/// library, HTTP API):
/// <c>{"account_id":"…","active":true,"connections":3,"connected":3,"instruments":9000,"ticks":…,"reconnects":0,
/// "last_tick_us":…,"last_heartbeat_us":…,"updated_at_us":…,"silo":"…","silo_address":"…"}</c> (<c>silo</c> and
/// <c>silo_address</c>: the silo streaming the account, null when none does or it is not known).
/// </summary>
/// <remarks>
/// Readers ignore fields they do not know and take a missing number as 0, so the format can grow; only
/// <c>account_id</c> is required.
/// </remarks>
public static class AccountStateJson
{
    /// <summary>Writes <paramref name="state"/> as one JSON object.</summary>
    /// <param name="json">The writer.</param>
    /// <param name="state">The account state.</param>
    public static void Write(Utf8JsonWriter json, AccountState state)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(state);
        json.WriteStartObject();
        json.WriteString("account_id"u8, state.AccountId);
        json.WriteBoolean("active"u8, state.Active);
        json.WriteNumber("connections"u8, state.Connections);
        json.WriteNumber("connected"u8, state.Connected);
        json.WriteNumber("instruments"u8, state.Instruments);
        json.WriteNumber("ticks"u8, state.Ticks);
        json.WriteNumber("reconnects"u8, state.Reconnects);
        json.WriteNumber("last_tick_us"u8, state.LastTickUs);
        json.WriteNumber("last_heartbeat_us"u8, state.LastHeartbeatUs);
        json.WriteNumber("updated_at_us"u8, state.UpdatedAtUs);
        json.WriteString("silo"u8, state.Silo);
        json.WriteString("silo_address"u8, state.SiloAddress);
        json.WriteEndObject();
    }

    /// <summary>The UTF-8 JSON of <paramref name="state"/>, ready to be an HSET value.</summary>
    /// <param name="state">The account state.</param>
    /// <returns>The bytes.</returns>
    public static byte[] ToUtf8Bytes(AccountState state)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            Write(json, state);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses one hash value.</summary>
    /// <param name="utf8Json">The JSON object.</param>
    /// <returns>The account state.</returns>
    /// <exception cref="FormatException">The value is not a JSON object with an <c>account_id</c>, or a field has the wrong type.</exception>
    public static AccountState Parse(ReadOnlySpan<byte> utf8Json) =>
        TryParse(utf8Json, out var state, out var error) ? state : throw new FormatException($"Not an account state: {error}");

    /// <summary>Parses one hash value.</summary>
    /// <param name="utf8Json">The JSON object.</param>
    /// <param name="state">The account state when the value is valid.</param>
    /// <returns>Whether the value is a JSON object with an <c>account_id</c> and fields of the right types.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out AccountState? state) =>
        TryParse(utf8Json, out state, out _);

    private static bool TryParse(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out AccountState? state, out string error)
    {
        state = null;
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "expected a JSON object";
                return false;
            }

            string? id = null, silo = null, siloAddress = null;
            var active = false;
            int connections = 0, connected = 0, instruments = 0;
            long ticks = 0, reconnects = 0, lastTick = 0, lastHeartbeat = 0, updatedAt = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueSpan;
                var escaped = reader.ValueIsEscaped;
                reader.Read();
                if (escaped)
                {
                    // Our writer never escapes these names; an escaped name is someone else's field.
                    reader.Skip();
                    continue;
                }

                switch (name)
                {
                    case var n when n.SequenceEqual("account_id"u8): id = reader.GetString(); break;
                    case var n when n.SequenceEqual("active"u8): active = reader.GetBoolean(); break;
                    case var n when n.SequenceEqual("connections"u8): connections = reader.GetInt32(); break;
                    case var n when n.SequenceEqual("connected"u8): connected = reader.GetInt32(); break;
                    case var n when n.SequenceEqual("instruments"u8): instruments = reader.GetInt32(); break;
                    case var n when n.SequenceEqual("ticks"u8): ticks = reader.GetInt64(); break;
                    case var n when n.SequenceEqual("reconnects"u8): reconnects = reader.GetInt64(); break;
                    case var n when n.SequenceEqual("last_tick_us"u8): lastTick = reader.GetInt64(); break;
                    case var n when n.SequenceEqual("last_heartbeat_us"u8): lastHeartbeat = reader.GetInt64(); break;
                    case var n when n.SequenceEqual("updated_at_us"u8): updatedAt = reader.GetInt64(); break;
                    case var n when n.SequenceEqual("silo"u8): silo = reader.GetString(); break;
                    case var n when n.SequenceEqual("silo_address"u8): siloAddress = reader.GetString(); break;
                    default: reader.Skip(); break;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject)
            {
                error = "the object is not closed";
                return false;
            }

            if (string.IsNullOrEmpty(id))
            {
                error = "account_id is missing";
                return false;
            }

            state = new AccountState(id, active, connections, connected, instruments, ticks, reconnects, lastTick, lastHeartbeat, updatedAt, silo, siloAddress);
            error = string.Empty;
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            error = ex.Message;
            return false;
        }
    }
}
