using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Ticker.Protocol.Resp;

/// <summary>
/// Formats RESP2 request pieces into spans the caller has sized with the <c>Max*</c> constants. Shared by
/// <see cref="RespWriter"/> and <see cref="RedisBatch"/>.
/// </summary>
/// <remarks>Allocates nothing.</remarks>
internal static class RespFormatter
{
    /// <summary>The longest header: a type byte, up to 10 digits of a non-negative int, CRLF.</summary>
    public const int MaxHeaderLength = 1 + 10 + 2;

    /// <summary>The longest framing around a bulk payload: its header and the trailing CRLF.</summary>
    public const int MaxBulkOverhead = MaxHeaderLength + 2;

    /// <summary>The longest text of a 64-bit integer (<c>-9223372036854775808</c>).</summary>
    public const int MaxInt64Length = 20;

    /// <summary>The longest text of a double in its shortest round-trippable form (<c>-2.2250738585072014E-308</c> is 24).</summary>
    public const int MaxDoubleLength = 32;

    /// <summary>Writes <c>*count\r\n</c>.</summary>
    /// <param name="destination">At least <see cref="MaxHeaderLength"/> bytes.</param>
    /// <param name="count">The number of arguments.</param>
    /// <returns>The bytes written.</returns>
    public static int WriteArrayHeader(Span<byte> destination, int count) => WriteHeader(destination, (byte)'*', count);

    /// <summary>Writes <c>$length\r\nvalue\r\n</c>.</summary>
    /// <param name="destination">At least <c>value.Length + </c><see cref="MaxBulkOverhead"/> bytes.</param>
    /// <param name="value">The payload.</param>
    /// <returns>The bytes written.</returns>
    public static int WriteBulk(Span<byte> destination, ReadOnlySpan<byte> value)
    {
        var written = WriteHeader(destination, (byte)'$', value.Length);
        value.CopyTo(destination[written..]);
        written += value.Length;
        destination[written++] = (byte)'\r';
        destination[written++] = (byte)'\n';
        return written;
    }

    /// <summary>Writes an integer as a bulk string.</summary>
    /// <param name="destination">At least <see cref="MaxInt64Length"/> + <see cref="MaxBulkOverhead"/> bytes.</param>
    /// <param name="value">The integer.</param>
    /// <returns>The bytes written.</returns>
    public static int WriteBulk(Span<byte> destination, long value)
    {
        Span<byte> digits = stackalloc byte[MaxInt64Length];
        Utf8Formatter.TryFormat(value, digits, out var length);
        return WriteBulk(destination, digits[..length]);
    }

    /// <summary>Writes a double as a bulk string (see <see cref="FormatDouble"/>).</summary>
    /// <param name="destination">At least <see cref="MaxDoubleLength"/> + <see cref="MaxBulkOverhead"/> bytes.</param>
    /// <param name="value">The number.</param>
    /// <returns>The bytes written.</returns>
    public static int WriteBulk(Span<byte> destination, double value)
    {
        Span<byte> text = stackalloc byte[MaxDoubleLength];
        var length = FormatDouble(text, value);
        return WriteBulk(destination, text[..length]);
    }

    /// <summary>
    /// Writes a string as a UTF-8 bulk string.
    /// </summary>
    /// <param name="destination">At least <paramref name="byteCount"/> + <see cref="MaxBulkOverhead"/> bytes.</param>
    /// <param name="value">The text.</param>
    /// <param name="byteCount">Its UTF-8 length, from <see cref="Encoding.GetByteCount(ReadOnlySpan{char})"/>.</param>
    /// <returns>The bytes written.</returns>
    public static int WriteBulk(Span<byte> destination, ReadOnlySpan<char> value, int byteCount)
    {
        var written = WriteHeader(destination, (byte)'$', byteCount);
        written += Encoding.UTF8.GetBytes(value, destination[written..]);
        destination[written++] = (byte)'\r';
        destination[written++] = (byte)'\n';
        return written;
    }

    /// <summary>
    /// Formats a double in its shortest round-trippable invariant form (<c>0.1</c>, <c>1E+21</c>), with infinities as
    /// <c>inf</c>/<c>-inf</c> and NaN as <c>nan</c>, the spellings Redis itself uses and parses.
    /// </summary>
    /// <param name="destination">At least <see cref="MaxDoubleLength"/> bytes.</param>
    /// <param name="value">The number.</param>
    /// <returns>The bytes written.</returns>
    public static int FormatDouble(Span<byte> destination, double value)
    {
        if (!double.IsFinite(value))
        {
            var text = double.IsNaN(value) ? RespLiterals.NaN
                : value > 0 ? RespLiterals.PositiveInfinity
                : RespLiterals.NegativeInfinity;
            text.CopyTo(destination);
            return text.Length;
        }

        // "R" is the shortest text that parses back to the same double.
        value.TryFormat(destination, out var written, "R", CultureInfo.InvariantCulture);
        return written;
    }

    /// <summary>Parses a double as Redis prints it (<c>3.14</c>, <c>1e+21</c>, <c>inf</c>, <c>-inf</c>, <c>nan</c>).</summary>
    /// <param name="text">The UTF-8 text.</param>
    /// <param name="value">The number.</param>
    /// <returns>Whether the text is a number.</returns>
    public static bool TryParseDouble(ReadOnlySpan<byte> text, out double value)
    {
        if (text.SequenceEqual(RespLiterals.PositiveInfinity) || text.SequenceEqual("+inf"u8))
        {
            value = double.PositiveInfinity;
            return true;
        }

        if (text.SequenceEqual(RespLiterals.NegativeInfinity))
        {
            value = double.NegativeInfinity;
            return true;
        }

        if (text.SequenceEqual(RespLiterals.NaN))
        {
            value = double.NaN;
            return true;
        }

        if (text.IsEmpty)
        {
            value = 0;
            return false;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static int WriteHeader(Span<byte> destination, byte type, int length)
    {
        // Most headers are one or two digits (argument counts, short keys and values): skip the general formatter.
        if ((uint)length < 10)
        {
            destination[3] = (byte)'\n';
            destination[2] = (byte)'\r';
            destination[1] = (byte)('0' + length);
            destination[0] = type;
            return 4;
        }

        if ((uint)length < 100)
        {
            destination[4] = (byte)'\n';
            destination[3] = (byte)'\r';
            destination[2] = (byte)('0' + (length % 10));
            destination[1] = (byte)('0' + (length / 10));
            destination[0] = type;
            return 5;
        }

        destination[0] = type;
        Utf8Formatter.TryFormat(length, destination[1..], out var digits);
        destination[digits + 1] = (byte)'\r';
        destination[digits + 2] = (byte)'\n';
        return digits + 3;
    }
}
