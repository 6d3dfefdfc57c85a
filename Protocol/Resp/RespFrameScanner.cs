using System.Buffers;
using System.Runtime.CompilerServices;

namespace Ticker.Protocol.Resp;

/// <summary>
/// Finds where one complete RESP2 reply ends, without interpreting it: it answers "a complete frame of N bytes" or
/// "need more", and in the second case remembers how far it got so the next call resumes instead of rescanning
/// (the caller keeps the unconsumed tail and appends to it). Garbage (an unknown type byte, a missing CRLF, a
/// negative length other than -1, an integer that overflows, absurd lengths or nesting) raises a
/// <see cref="RedisProtocolException"/>; it never waits for bytes that a well-formed stream would not need.
/// </summary>
/// <remarks>
/// Allocates nothing. Arrays are tracked with a fixed-depth stack of element counts, so scanning never recurses.
/// A scanner belongs to one input stream; after an exception its state is undefined until <see cref="Reset"/>.
/// </remarks>
public struct RespFrameScanner
{
    /// <summary>The largest bulk string accepted (Redis's own default <c>proto-max-bulk-len</c>, 512 MiB).</summary>
    public const int MaxBulkLength = 512 * 1024 * 1024;

    /// <summary>The largest array accepted (64 Mi elements; every element takes at least 4 bytes on the wire).</summary>
    public const int MaxArrayLength = 64 * 1024 * 1024;

    /// <summary>The longest simple-string or error line accepted (64 KiB; Redis's status and error lines are short).</summary>
    public const int MaxLineLength = 64 * 1024;

    /// <summary>The deepest nesting of arrays accepted (Redis's deepest replies, <c>XINFO STREAM FULL</c>, nest about 6).</summary>
    public const int MaxDepth = 32;

    // The longest integer line: a sign and 19 digits (long.MinValue) before the CRLF.
    private const int MaxIntegerDigits = 19;

    private long _scanned;
    private int _depth;
    private Levels _remaining;

    /// <summary>How many bytes of the current, incomplete frame have been validated already.</summary>
    public readonly long Scanned => _scanned;

    /// <summary>Forgets any partial frame (after a protocol error, or when the input stream is replaced).</summary>
    public void Reset()
    {
        _scanned = 0;
        _depth = 0;
    }

    /// <summary>
    /// Looks for one complete frame at the start of <paramref name="buffer"/>. After a <see langword="false"/>,
    /// call again with the same start and more bytes appended.
    /// </summary>
    /// <param name="buffer">The received bytes, starting at the first byte of the frame.</param>
    /// <param name="frameLength">The length of the complete frame, when the result is <see langword="true"/>.</param>
    /// <returns><see langword="true"/> when a complete frame is present; <see langword="false"/> when more bytes are needed.</returns>
    /// <exception cref="RedisProtocolException">The bytes are not valid RESP2.</exception>
    public bool TryScan(ReadOnlySequence<byte> buffer, out long frameLength)
    {
        var reader = new SequenceReader<byte>(buffer);
        return TryScan(ref reader, out frameLength);
    }

    /// <summary>
    /// Looks for one complete frame starting at the reader's position. On success the reader is left just after
    /// the frame; when more bytes are needed it is left where it started.
    /// </summary>
    /// <param name="reader">The received bytes, positioned at the first byte of the frame.</param>
    /// <param name="frameLength">The length of the complete frame, when the result is <see langword="true"/>.</param>
    /// <returns><see langword="true"/> when a complete frame is present; <see langword="false"/> when more bytes are needed.</returns>
    /// <exception cref="RedisProtocolException">The bytes are not valid RESP2.</exception>
    public bool TryScan(ref SequenceReader<byte> reader, out long frameLength)
    {
        var unread = reader.UnreadSpan;
        if (unread.Length == reader.Remaining || _scanned == 0)
        {
            // The usual case: the frame starts in the current segment; scan that span with plain indexes.
            if (TryScanSpan(unread, out var length))
            {
                reader.Advance(length);
                frameLength = length;
                return true;
            }

            if (unread.Length == reader.Remaining)
            {
                frameLength = 0;
                return false;
            }

            // The frame goes on in the next segment: start it again on the whole sequence.
            Reset();
        }

        return TryScanSequence(ref reader, out frameLength);
    }

    private bool TryScanSpan(ReadOnlySpan<byte> span, out int frameLength)
    {
        if (_scanned > span.Length)
        {
            ThrowHelper.ThrowInvalidOperation("The scanner must be resumed with the same frame start and at least the bytes it has seen.");
        }

        var position = (int)_scanned;
        while (true)
        {
            var elementStart = position;
            if (!TryScanElement(span, ref position, out var children))
            {
                _scanned = elementStart;
                frameLength = 0;
                return false;
            }

            if (children > 0)
            {
                Push(children);
                continue;
            }

            if (CloseLevels())
            {
                frameLength = position;
                _scanned = 0;
                return true;
            }
        }
    }

    private bool TryScanSequence(ref SequenceReader<byte> reader, out long frameLength)
    {
        var frameStart = reader.Consumed;
        if (_scanned > 0)
        {
            if (reader.Remaining < _scanned)
            {
                // The caller passed fewer bytes than were already validated: it did not keep the tail.
                ThrowHelper.ThrowInvalidOperation("The scanner must be resumed with the same frame start and at least the bytes it has seen.");
            }

            reader.Advance(_scanned);
        }

        while (true)
        {
            var elementStart = reader.Consumed;
            if (!TryScanElement(ref reader, out var children))
            {
                _scanned = elementStart - frameStart;
                reader.Rewind(reader.Consumed - frameStart);
                frameLength = 0;
                return false;
            }

            if (children > 0)
            {
                Push(children);
                continue;
            }

            if (CloseLevels())
            {
                frameLength = reader.Consumed - frameStart;
                _scanned = 0;
                return true;
            }
        }
    }

    private void Push(int children)
    {
        if (_depth == MaxDepth)
        {
            Fail($"Arrays nest deeper than {MaxDepth} levels.");
        }

        _remaining[_depth++] = children;
    }

    // A whole element (a leaf, an empty array or nil) is done: close every array it completes. True when the
    // frame itself is complete.
    private bool CloseLevels()
    {
        while (_depth > 0)
        {
            if (--_remaining[_depth - 1] > 0)
            {
                return false;
            }

            _depth--;
        }

        return true;
    }

    // The span twin of the sequence scanner below: the same rules over a contiguous buffer.
    private static bool TryScanElement(ReadOnlySpan<byte> span, ref int position, out int children)
    {
        children = 0;
        if (position >= span.Length)
        {
            return false;
        }

        var type = span[position++];
        switch (type)
        {
            case (byte)'+':
            case (byte)'-':
            {
                var rest = span[position..];
                var lf = rest.IndexOf((byte)'\n');
                if (lf < 0)
                {
                    if (rest.Length > MaxLineLength + 1)
                    {
                        Fail($"Status or error line is longer than {MaxLineLength} bytes.");
                    }

                    return false;
                }

                if (lf == 0 || rest[lf - 1] != (byte)'\r')
                {
                    Fail("Status or error line does not end with CRLF.");
                }

                if (lf - 1 > MaxLineLength)
                {
                    Fail($"Status or error line is longer than {MaxLineLength} bytes.");
                }

                position += lf + 1;
                return true;
            }

            case (byte)':':
                return TryReadInteger(span, ref position, out _);
            case (byte)'$':
            {
                if (!TryReadInteger(span, ref position, out var length))
                {
                    return false;
                }

                if (length == -1)
                {
                    return true;
                }

                CheckLength(length, MaxBulkLength, "Bulk string");
                if (span.Length - position < length + 2)
                {
                    return false;
                }

                position += (int)length;
                if (span[position] != (byte)'\r' || span[position + 1] != (byte)'\n')
                {
                    Fail("Bulk string is not followed by CRLF.");
                }

                position += 2;
                return true;
            }

            case (byte)'*':
            {
                if (!TryReadInteger(span, ref position, out var count))
                {
                    return false;
                }

                if (count != -1)
                {
                    CheckLength(count, MaxArrayLength, "Array");
                    children = (int)count;
                }

                return true;
            }

            default:
                ThrowHelper.ThrowUnknownType(type);
                return false;
        }
    }

    /// <summary>Reads <c>-?[0-9]+\r\n</c> from a span; false when the line is incomplete.</summary>
    private static bool TryReadInteger(ReadOnlySpan<byte> span, ref int position, out long value)
    {
        value = 0;
        var i = position;
        if (i >= span.Length)
        {
            return false;
        }

        var negative = span[i] == (byte)'-';
        if (negative)
        {
            i++;
        }

        ulong magnitude = 0;
        var digits = 0;
        while (true)
        {
            if (i >= span.Length)
            {
                return false;
            }

            var b = span[i++];
            if (b == (byte)'\r')
            {
                break;
            }

            var digit = (uint)(b - '0');
            if (digit > 9)
            {
                Fail("Integer contains a character that is not a digit (or lacks its CRLF).");
            }

            if (++digits > MaxIntegerDigits)
            {
                Fail("Integer overflows 64 bits.");
            }

            magnitude = (magnitude * 10) + digit;
        }

        if (digits == 0)
        {
            Fail("Integer has no digits.");
        }

        if (magnitude > (negative ? 9_223_372_036_854_775_808UL : long.MaxValue))
        {
            Fail("Integer overflows 64 bits.");
        }

        if (i >= span.Length)
        {
            return false;
        }

        if (span[i++] != (byte)'\n')
        {
            Fail("CR is not followed by LF.");
        }

        position = i;
        value = negative ? (long)(0UL - magnitude) : (long)magnitude;
        return true;
    }

    // Scans one element's header (and payload for leaves). Returns false, with the reader anywhere, when the
    // element is incomplete; children is the element count of a non-empty array, otherwise 0.
    private bool TryScanElement(ref SequenceReader<byte> reader, out int children)
    {
        children = 0;
        if (!reader.TryRead(out var type))
        {
            return false;
        }

        switch (type)
        {
            case (byte)'+':
            case (byte)'-':
                return TryScanLine(ref reader);
            case (byte)':':
                return TryReadInteger(ref reader, out _);
            case (byte)'$':
            {
                if (!TryReadInteger(ref reader, out var length))
                {
                    return false;
                }

                if (length == -1)
                {
                    return true;
                }

                CheckLength(length, MaxBulkLength, "Bulk string");
                if (reader.Remaining < length + 2)
                {
                    return false;
                }

                reader.Advance(length);
                reader.TryRead(out var cr);
                reader.TryRead(out var lf);
                if (cr != (byte)'\r' || lf != (byte)'\n')
                {
                    Fail("Bulk string is not followed by CRLF.");
                }

                return true;
            }

            case (byte)'*':
            {
                if (!TryReadInteger(ref reader, out var count))
                {
                    return false;
                }

                if (count != -1)
                {
                    CheckLength(count, MaxArrayLength, "Array");
                    children = (int)count;
                }

                return true;
            }

            default:
                ThrowHelper.ThrowUnknownType(type);
                return false;
        }
    }

    private static bool TryScanLine(ref SequenceReader<byte> reader)
    {
        var start = reader.Consumed;
        if (!reader.TryAdvanceTo((byte)'\n', advancePastDelimiter: true))
        {
            if (reader.Remaining > MaxLineLength + 1)
            {
                Fail($"Status or error line is longer than {MaxLineLength} bytes.");
            }

            return false;
        }

        if (reader.Consumed - start > MaxLineLength + 2)
        {
            Fail($"Status or error line is longer than {MaxLineLength} bytes.");
        }

        // The byte before the LF must be a CR that belongs to this line (not the type byte itself).
        reader.Rewind(2);
        reader.TryRead(out var cr);
        reader.Advance(1);
        if (cr != (byte)'\r' || reader.Consumed - start < 2)
        {
            Fail("Status or error line does not end with CRLF.");
        }

        return true;
    }

    /// <summary>Reads <c>-?[0-9]+\r\n</c>; false when the line is incomplete.</summary>
    private static bool TryReadInteger(ref SequenceReader<byte> reader, out long value)
    {
        value = 0;
        if (!reader.TryRead(out var b))
        {
            return false;
        }

        var negative = b == (byte)'-';
        if (negative && !reader.TryRead(out b))
        {
            return false;
        }

        ulong magnitude = 0;
        var digits = 0;
        while (b != (byte)'\r')
        {
            var digit = (uint)(b - '0');
            if (digit > 9)
            {
                Fail("Integer contains a character that is not a digit (or lacks its CRLF).");
            }

            if (++digits > MaxIntegerDigits)
            {
                Fail("Integer overflows 64 bits.");
            }

            magnitude = (magnitude * 10) + digit;
            if (!reader.TryRead(out b))
            {
                return false;
            }
        }

        if (digits == 0)
        {
            Fail("Integer has no digits.");
        }

        if (magnitude > (negative ? 9_223_372_036_854_775_808UL : long.MaxValue))
        {
            Fail("Integer overflows 64 bits.");
        }

        if (!reader.TryRead(out var lf))
        {
            return false;
        }

        if (lf != (byte)'\n')
        {
            Fail("CR is not followed by LF.");
        }

        value = negative ? (long)(0UL - magnitude) : (long)magnitude;
        return true;
    }

    private static void CheckLength(long length, int max, string what)
    {
        if (length < 0)
        {
            Fail($"{what} has a negative length other than -1.");
        }

        if (length > max)
        {
            Fail($"{what} length {length} exceeds the limit of {max}.");
        }
    }

    private static void Fail(string message) => ThrowHelper.ThrowProtocol(message);

    [InlineArray(MaxDepth)]
    private struct Levels
    {
        private int _element0;
    }
}
