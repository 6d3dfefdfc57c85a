using System.Buffers;
using System.Text.Json;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Client.Kite;

/// <summary>
/// The JSON text messages of the Kite ticker: client → server <c>{"a": action, "v": value}</c> (written here and
/// parsed by the mock server) and server → client <c>{"type": T, "data": …}</c> (classified here).
/// </summary>
public static class KiteMessages
{
    /// <summary>The most tokens put in one subscribe, unsubscribe or mode message; longer lists are sent in chunks.</summary>
    public const int MaxTokensPerMessage = 1000;

    private static readonly JsonEncodedText ActionName = JsonEncodedText.Encode("a");
    private static readonly JsonEncodedText ValueName = JsonEncodedText.Encode("v");
    private static readonly JsonEncodedText SubscribeText = JsonEncodedText.Encode("subscribe");
    private static readonly JsonEncodedText UnsubscribeText = JsonEncodedText.Encode("unsubscribe");
    private static readonly JsonEncodedText ModeText = JsonEncodedText.Encode("mode");

    /// <summary>The wire name of a mode: <c>ltp</c>, <c>quote</c> or <c>full</c>.</summary>
    public static string ModeName(TickMode mode) => mode switch
    {
        TickMode.Ltp => "ltp",
        TickMode.Full => "full",
        _ => "quote",
    };

    /// <summary>Parses a wire mode name (case-insensitive).</summary>
    public static bool TryParseMode(ReadOnlySpan<char> text, out TickMode mode)
    {
        mode = text.Trim() switch
        {
            var t when t.Equals("ltp", StringComparison.OrdinalIgnoreCase) => TickMode.Ltp,
            var t when t.Equals("quote", StringComparison.OrdinalIgnoreCase) => TickMode.Quote,
            var t when t.Equals("full", StringComparison.OrdinalIgnoreCase) => TickMode.Full,
            _ => 0,
        };
        return mode != 0;
    }

    /// <summary>Writes <c>{"a":"subscribe","v":[tokens]}</c>.</summary>
    public static void WriteSubscribe(IBufferWriter<byte> output, ReadOnlySpan<uint> tokens) => WriteTokens(output, SubscribeText, tokens);

    /// <summary>Writes <c>{"a":"unsubscribe","v":[tokens]}</c>.</summary>
    public static void WriteUnsubscribe(IBufferWriter<byte> output, ReadOnlySpan<uint> tokens) => WriteTokens(output, UnsubscribeText, tokens);

    /// <summary>Writes <c>{"a":"mode","v":["full",[tokens]]}</c>.</summary>
    public static void WriteMode(IBufferWriter<byte> output, TickMode mode, ReadOnlySpan<uint> tokens)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString(ActionName, ModeText);
        json.WriteStartArray(ValueName);
        json.WriteStringValue(ModeName(mode));
        json.WriteStartArray();
        foreach (var token in tokens)
        {
            json.WriteNumberValue(token);
        }

        json.WriteEndArray();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>
    /// Parses a client → server message. Tokens go to <paramref name="tokens"/> (cleared first); a mode message also
    /// gives its <paramref name="mode"/>. Never throws.
    /// </summary>
    /// <returns>The action, or <see cref="KiteAction.Unknown"/> when the message is not one the ticker understands.</returns>
    public static KiteAction ParseClientMessage(ReadOnlySpan<byte> json, List<uint> tokens, out TickMode mode)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        tokens.Clear();
        mode = 0;
        var action = KiteAction.Unknown;
        var sawValue = false;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return KiteAction.Unknown;
            }

            // The value may come before the action; it is parsed as "tokens, or [mode, tokens]" either way.
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("a"u8))
                {
                    reader.Read();
                    action = reader.TokenType != JsonTokenType.String ? KiteAction.Unknown
                        : reader.ValueTextEquals("subscribe"u8) ? KiteAction.Subscribe
                        : reader.ValueTextEquals("unsubscribe"u8) ? KiteAction.Unsubscribe
                        : reader.ValueTextEquals("mode"u8) ? KiteAction.Mode
                        : KiteAction.Unknown;
                }
                else if (reader.ValueTextEquals("v"u8))
                {
                    reader.Read();
                    if (!ReadValue(ref reader, tokens, out mode))
                    {
                        tokens.Clear();
                        return KiteAction.Unknown;
                    }

                    sawValue = true;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return KiteAction.Unknown;
        }

        var valid = sawValue && action switch
        {
            KiteAction.Mode => mode != 0,
            KiteAction.Subscribe or KiteAction.Unsubscribe => mode == 0,
            _ => false,
        };
        return valid ? action : KiteAction.Unknown;
    }

    /// <summary>
    /// Classifies a server text message by its <c>type</c>. <paramref name="data"/> is the <c>data</c> string for
    /// <c>error</c> and <c>message</c> (null otherwise; an order's payload is not materialised). Never throws.
    /// </summary>
    /// <remarks>Allocates only the <paramref name="data"/> string of an error or message.</remarks>
    public static KiteTextMessageType ClassifyServerText(ReadOnlySpan<byte> json, out string? data)
    {
        data = null;
        var type = KiteTextMessageType.Malformed;
        string? text = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return KiteTextMessageType.Malformed;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    type = reader.TokenType != JsonTokenType.String ? KiteTextMessageType.Malformed
                        : reader.ValueTextEquals("order"u8) ? KiteTextMessageType.Order
                        : reader.ValueTextEquals("error"u8) ? KiteTextMessageType.Error
                        : reader.ValueTextEquals("message"u8) ? KiteTextMessageType.Message
                        : KiteTextMessageType.Other;
                }
                else if (reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        text = reader.GetString();
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject)
            {
                return KiteTextMessageType.Malformed;
            }
        }
        catch (JsonException)
        {
            return KiteTextMessageType.Malformed;
        }

        if (type is KiteTextMessageType.Error or KiteTextMessageType.Message)
        {
            data = text;
        }

        return type;
    }

    private static bool ReadValue(ref Utf8JsonReader reader, List<uint> tokens, out TickMode mode)
    {
        mode = 0;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return false;
        }

        var nested = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Number when !nested && reader.TryGetUInt32(out var token):
                    tokens.Add(token);
                    break;
                case JsonTokenType.String when !nested && mode == 0 && tokens.Count == 0:
                    if (!TryParseMode(reader.GetString(), out mode))
                    {
                        return false;
                    }

                    break;
                case JsonTokenType.StartArray when mode != 0 && !nested:
                    nested = true;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetUInt32(out var t))
                        {
                            return false;
                        }

                        tokens.Add(t);
                    }

                    break;
                default:
                    return false;
            }
        }

        return mode == 0 || nested;
    }

    private static void WriteTokens(IBufferWriter<byte> output, JsonEncodedText action, ReadOnlySpan<uint> tokens)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString(ActionName, action);
        json.WriteStartArray(ValueName);
        foreach (var token in tokens)
        {
            json.WriteNumberValue(token);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
