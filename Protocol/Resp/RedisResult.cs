using System.Globalization;
using System.Text;

namespace Ticker.Protocol.Resp;

/// <summary>
/// A whole reply as a tree of values (simple string, error, integer, bulk string, array, nil), for administrative
/// and non-hot use: tests, leases, <c>XINFO</c>, <c>HGETALL</c>. Allocates freely; the hot path uses
/// <see cref="IRespReplyHandler"/> instead.
/// </summary>
public sealed class RedisResult
{
    private static readonly RedisResult[] NoElements = [];

    private readonly byte[]? _bytes;
    private readonly RedisResult[]? _elements;
    private readonly long _integer;

    private RedisResult(RespType type, byte[]? bytes, RedisResult[]? elements, long integer)
    {
        Type = type;
        _bytes = bytes;
        _elements = elements;
        _integer = integer;
    }

    /// <summary>The value's type.</summary>
    public RespType Type { get; }

    /// <summary>Whether the value is nil (<c>$-1</c> or <c>*-1</c>).</summary>
    public bool IsNull => Type switch
    {
        RespType.BulkString => _bytes is null,
        RespType.Array => _elements is null,
        _ => false,
    };

    /// <summary>Whether the value is an error reply.</summary>
    public bool IsError => Type == RespType.Error;

    /// <summary>The number of elements of an array (0 for nil and for other types).</summary>
    public int Count => _elements?.Length ?? 0;

    /// <summary>The element at <paramref name="index"/> of an array.</summary>
    /// <param name="index">The position, from 0.</param>
    /// <returns>The element.</returns>
    public RedisResult this[int index] => AsArray()[index];

    /// <summary>The value as text: simple strings, bulk strings (UTF-8), error messages and integers; nil is <see langword="null"/>.</summary>
    /// <returns>The text.</returns>
    /// <exception cref="InvalidCastException">The value is an array.</exception>
    public string? AsString() => Type switch
    {
        RespType.Integer => _integer.ToString(CultureInfo.InvariantCulture),
        RespType.Array => throw new InvalidCastException("An array reply has no single text value."),
        _ => _bytes is null ? null : Encoding.UTF8.GetString(_bytes),
    };

    /// <summary>The raw bytes of a simple string, bulk string or error; nil is <see langword="null"/>.</summary>
    /// <returns>The bytes (the result's own copy; do not modify).</returns>
    /// <exception cref="InvalidCastException">The value is an integer or an array.</exception>
    public byte[]? AsBytes() => Type is RespType.Integer or RespType.Array
        ? throw new InvalidCastException($"A {Type} reply has no bytes.")
        : _bytes;

    /// <summary>The value as an integer (an integer reply or a string of digits).</summary>
    /// <returns>The integer.</returns>
    /// <exception cref="InvalidCastException">The value is not an integer.</exception>
    public long AsInt64()
    {
        if (Type == RespType.Integer)
        {
            return _integer;
        }

        if (Type is RespType.BulkString or RespType.SimpleString && _bytes is not null
            && long.TryParse(_bytes, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        throw new InvalidCastException($"The {Type} reply is not an integer.");
    }

    /// <summary>The value as a double (an integer, or a string such as <c>3.14</c>, <c>inf</c>, <c>-inf</c>).</summary>
    /// <returns>The number.</returns>
    /// <exception cref="InvalidCastException">The value is not a number.</exception>
    public double AsDouble()
    {
        if (Type == RespType.Integer)
        {
            return _integer;
        }

        if (Type is RespType.BulkString or RespType.SimpleString && _bytes is not null)
        {
            if (RespFormatter.TryParseDouble(_bytes, out var value))
            {
                return value;
            }
        }

        throw new InvalidCastException($"The {Type} reply is not a number.");
    }

    /// <summary>The elements of an array; nil gives an empty list.</summary>
    /// <returns>The elements.</returns>
    /// <exception cref="InvalidCastException">The value is not an array.</exception>
    public IReadOnlyList<RedisResult> AsArray() => Type == RespType.Array
        ? _elements ?? NoElements
        : throw new InvalidCastException($"A {Type} reply is not an array.");

    /// <summary>
    /// An array of alternating fields and values (<c>HGETALL</c>, <c>CONFIG GET</c>) as a dictionary of UTF-8 text.
    /// </summary>
    /// <returns>The pairs (a later duplicate field wins).</returns>
    /// <exception cref="InvalidCastException">The value is not an array of pairs.</exception>
    public Dictionary<string, string?> ToDictionary()
    {
        var elements = AsArray();
        if (elements.Count % 2 != 0)
        {
            throw new InvalidCastException("The array has an odd number of elements, so it is not a list of pairs.");
        }

        var pairs = new Dictionary<string, string?>(elements.Count / 2, StringComparer.Ordinal);
        for (var i = 0; i < elements.Count; i += 2)
        {
            pairs[elements[i].AsString() ?? string.Empty] = elements[i + 1].AsString();
        }

        return pairs;
    }

    /// <summary>A readable rendering, as <c>redis-cli</c> would print it on one line.</summary>
    /// <returns>For example <c>OK</c>, <c>(integer) 3</c>, <c>(nil)</c>, <c>(error) ERR ...</c>, <c>["a", "b"]</c>.</returns>
    public override string ToString() => Type switch
    {
        RespType.Integer => $"(integer) {_integer.ToString(CultureInfo.InvariantCulture)}",
        RespType.Error => $"(error) {AsString()}",
        RespType.SimpleString => AsString() ?? string.Empty,
        RespType.BulkString => _bytes is null ? "(nil)" : $"\"{AsString()}\"",
        RespType.Array => _elements is null ? "(nil)" : $"[{string.Join(", ", _elements.Select(e => e.ToString()))}]",
        _ => string.Empty,
    };

    /// <summary>Reads one value (and, for an array, all of its elements) from <paramref name="reader"/>.</summary>
    /// <remarks>Recursive; frames from the connection nest at most <see cref="RespFrameScanner.MaxDepth"/> deep.</remarks>
    internal static RedisResult Read(ref RespReader reader)
    {
        if (!reader.Read())
        {
            ThrowHelper.ThrowProtocol("The reply has no more values.");
        }

        switch (reader.Type)
        {
            case RespType.Integer:
                return new RedisResult(RespType.Integer, null, null, reader.Integer);
            case RespType.Array:
            {
                if (reader.IsNull)
                {
                    return new RedisResult(RespType.Array, null, null, 0);
                }

                var elements = reader.Length == 0 ? NoElements : new RedisResult[reader.Length];
                for (var i = 0; i < elements.Length; i++)
                {
                    elements[i] = Read(ref reader);
                }

                return new RedisResult(RespType.Array, null, elements, 0);
            }

            default:
                return new RedisResult(reader.Type, reader.IsNull ? null : reader.Value.ToArray(), null, 0);
        }
    }
}
