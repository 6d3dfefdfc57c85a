using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Ticker.Protocol.Resp;

/// <summary>
/// Reads the values of one complete RESP2 reply frame, in order, without allocating: each <see cref="Read"/> moves
/// to the next value (an array's header comes before its elements, depth first), and the properties describe it.
/// Bulk and simple strings are exposed as spans into the frame.
/// </summary>
/// <remarks>
/// Use it over frames the <see cref="RespFrameScanner"/> has validated (the connection only hands out those); a
/// truncated frame still raises a <see cref="RedisProtocolException"/> rather than reading out of range.
/// Allocates nothing except in <see cref="GetString"/>/<see cref="ReadString"/> and when throwing.
/// </remarks>
public ref struct RespReader
{
    private readonly ReadOnlySpan<byte> _frame;
    private int _position;
    private RespType _type;
    private long _integer;
    private int _valueStart;
    private int _valueLength;

    /// <summary>Creates a reader positioned before the first value of <paramref name="frame"/>.</summary>
    /// <param name="frame">One or more complete RESP2 values.</param>
    public RespReader(ReadOnlySpan<byte> frame)
    {
        _frame = frame;
    }

    /// <summary>The type of the current value (<see cref="RespType.None"/> before the first <see cref="Read"/>).</summary>
    public readonly RespType Type => _type;

    /// <summary>Whether the current value is nil (<c>$-1</c> or <c>*-1</c>).</summary>
    public readonly bool IsNull => _integer == -1 && _type is RespType.BulkString or RespType.Array;

    /// <summary>Whether the current value is an error reply.</summary>
    public readonly bool IsError => _type == RespType.Error;

    /// <summary>The element count of the current array, or the byte length of the current bulk string; -1 for nil.</summary>
    public readonly long Length => _type is RespType.Array or RespType.BulkString ? _integer : _valueLength;

    /// <summary>The current integer value (only meaningful when <see cref="Type"/> is <see cref="RespType.Integer"/>).</summary>
    public readonly long Integer => _type == RespType.Integer ? _integer : 0;

    /// <summary>
    /// The bytes of the current simple string, error (without the <c>-</c>), bulk string or integer (its digits);
    /// empty for arrays and nil.
    /// </summary>
    public readonly ReadOnlySpan<byte> Value => _frame.Slice(_valueStart, _valueLength);

    /// <summary>The offset of the next unread byte in the frame.</summary>
    public readonly int Position => _position;

    /// <summary>Whether every value of the frame has been read.</summary>
    public readonly bool End => _position >= _frame.Length;

    /// <summary>
    /// Moves to the next value. For an array this reads only its header; its elements follow (or call
    /// <see cref="SkipChildren"/>).
    /// </summary>
    /// <returns><see langword="false"/> at the end of the frame.</returns>
    /// <exception cref="RedisProtocolException">The frame is malformed or truncated.</exception>
    public bool Read()
    {
        if (_position >= _frame.Length)
        {
            _type = RespType.None;
            _integer = 0;
            _valueStart = _valueLength = 0;
            return false;
        }

        var type = _frame[_position++];
        switch (type)
        {
            case (byte)'+':
            case (byte)'-':
            {
                var rest = _frame[_position..];
                var cr = rest.IndexOf((byte)'\r');
                if (cr < 0 || cr + 1 >= rest.Length || rest[cr + 1] != (byte)'\n')
                {
                    ThrowHelper.ThrowProtocol("Status or error line does not end with CRLF.");
                }

                _type = (RespType)type;
                _integer = 0;
                _valueStart = _position;
                _valueLength = cr;
                _position += cr + 2;
                return true;
            }

            case (byte)':':
                _type = RespType.Integer;
                _valueStart = _position;
                _integer = ReadLineInteger(out _valueLength);
                return true;
            case (byte)'$':
            {
                _type = RespType.BulkString;
                var length = ReadLineInteger(out _);
                _integer = length;
                _valueStart = _position;
                _valueLength = 0;
                if (length == -1)
                {
                    return true;
                }

                if (length < 0 || length > _frame.Length - _position - 2)
                {
                    ThrowHelper.ThrowProtocol("Bulk string length is negative or runs past the frame.");
                }

                _valueLength = (int)length;
                _position += _valueLength;
                if (_frame[_position] != (byte)'\r' || _frame[_position + 1] != (byte)'\n')
                {
                    ThrowHelper.ThrowProtocol("Bulk string is not followed by CRLF.");
                }

                _position += 2;
                return true;
            }

            case (byte)'*':
            {
                _type = RespType.Array;
                var count = ReadLineInteger(out _);
                if (count < -1)
                {
                    ThrowHelper.ThrowProtocol("Array has a negative length other than -1.");
                }

                _integer = count;
                _valueStart = _position;
                _valueLength = 0;
                return true;
            }

            default:
                ThrowHelper.ThrowUnknownType(type);
                return false;
        }
    }

    /// <summary>When the current value is a non-empty array, skips all of its elements (however deeply nested).</summary>
    public void SkipChildren()
    {
        if (_type != RespType.Array || _integer <= 0)
        {
            return;
        }

        // One flat counter of values still to skip: an array's elements simply add to it.
        var remaining = _integer;
        while (remaining > 0)
        {
            if (!Read())
            {
                ThrowHelper.ThrowProtocol("Array has fewer elements than its header says.");
            }

            remaining--;
            if (_type == RespType.Array && _integer > 0)
            {
                remaining += _integer;
            }
        }
    }

    /// <summary>Reads the next value, which must be an integer.</summary>
    /// <returns>The integer.</returns>
    /// <exception cref="RedisServerException">The value is an error reply.</exception>
    /// <exception cref="RedisProtocolException">The value is of another type or the frame ended.</exception>
    public long ReadInteger()
    {
        ReadExpecting(RespType.Integer);
        return _integer;
    }

    /// <summary>Reads the next value, which must be a bulk string (possibly nil) or a simple string.</summary>
    /// <returns>The bytes (empty for nil; check <see cref="IsNull"/>).</returns>
    /// <exception cref="RedisServerException">The value is an error reply.</exception>
    /// <exception cref="RedisProtocolException">The value is of another type or the frame ended.</exception>
    public ReadOnlySpan<byte> ReadBulkString()
    {
        ReadValue();
        if (_type is not (RespType.BulkString or RespType.SimpleString))
        {
            ThrowHelper.ThrowUnexpectedType(RespType.BulkString, _type);
        }

        return Value;
    }

    /// <summary>Reads the next value, which must be an array header (possibly nil).</summary>
    /// <returns>The element count, or -1 for nil.</returns>
    /// <exception cref="RedisServerException">The value is an error reply.</exception>
    /// <exception cref="RedisProtocolException">The value is of another type or the frame ended.</exception>
    public int ReadArrayLength()
    {
        ReadExpecting(RespType.Array);
        return (int)_integer;
    }

    /// <summary>Reads the next value as text (simple string, bulk string or integer; nil gives <see langword="null"/>).</summary>
    /// <returns>The UTF-8 decoded text, or <see langword="null"/> for nil.</returns>
    /// <exception cref="RedisServerException">The value is an error reply.</exception>
    /// <exception cref="RedisProtocolException">The value is an array or the frame ended.</exception>
    public string? ReadString()
    {
        ReadValue();
        if (_type == RespType.Array)
        {
            ThrowHelper.ThrowUnexpectedType(RespType.BulkString, _type);
        }

        return IsNull ? null : GetString();
    }

    /// <summary>The current value as UTF-8 decoded text (allocates).</summary>
    /// <returns>The text; empty for arrays and nil.</returns>
    public readonly string GetString() => Encoding.UTF8.GetString(Value);

    /// <summary>Parses the current value as a 64-bit integer (an integer reply, or a bulk/simple string of digits).</summary>
    /// <param name="value">The number.</param>
    /// <returns>Whether the value is an integer.</returns>
    public readonly bool TryGetInt64(out long value)
    {
        if (_type == RespType.Integer)
        {
            value = _integer;
            return true;
        }

        var span = Value;
        return Utf8Parser.TryParse(span, out value, out var consumed) && consumed == span.Length && span.Length > 0;
    }

    /// <summary>Parses the current value as a double (Redis spells infinities <c>inf</c>/<c>-inf</c>).</summary>
    /// <param name="value">The number.</param>
    /// <returns>Whether the value is a number.</returns>
    public readonly bool TryGetDouble(out double value) => RespFormatter.TryParseDouble(Value, out value);

    /// <summary>Whether the current value's bytes equal <paramref name="other"/> (ordinal).</summary>
    /// <param name="other">The bytes to compare with.</param>
    /// <returns>Whether they are equal.</returns>
    public readonly bool ValueEquals(ReadOnlySpan<byte> other) => Value.SequenceEqual(other);

    /// <summary>Throws a <see cref="RedisServerException"/> when the current value is an error reply.</summary>
    /// <exception cref="RedisServerException">The current value is an error reply.</exception>
    public readonly void ThrowIfError()
    {
        if (_type == RespType.Error)
        {
            throw new RedisServerException(GetString());
        }
    }

    private void ReadValue()
    {
        if (!Read())
        {
            ThrowHelper.ThrowProtocol("The reply has no more values.");
        }

        ThrowIfError();
    }

    private void ReadExpecting(RespType expected)
    {
        ReadValue();
        if (_type != expected)
        {
            ThrowHelper.ThrowUnexpectedType(expected, _type);
        }
    }

    private long ReadLineInteger(out int digitsLength)
    {
        var rest = _frame[_position..];
        if (!Utf8Parser.TryParse(rest, out long value, out var consumed)
            || consumed + 1 >= rest.Length
            || rest[consumed] != (byte)'\r'
            || rest[consumed + 1] != (byte)'\n')
        {
            ThrowHelper.ThrowProtocol("Integer line is malformed or truncated.");
        }

        digitsLength = consumed;
        _position += consumed + 2;
        return value;
    }
}
