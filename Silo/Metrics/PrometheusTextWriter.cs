using System.Buffers;
using System.Globalization;
using System.Text;

namespace Ticker.Silo.Metrics;

/// <summary>
/// Writes the Prometheus text exposition format 0.0.4 as UTF-8 into an <see cref="IBufferWriter{T}"/>:
/// <c># HELP</c> and <c># TYPE</c> lines and samples <c>name{labels} value</c>, one per line.
/// </summary>
internal sealed class PrometheusTextWriter(IBufferWriter<byte> output)
{
    /// <summary>Writes the HELP and TYPE lines of a family.</summary>
    public void WriteHeader(string name, string help, PrometheusMetricType type)
    {
        Write("# HELP ");
        Write(name);
        Write(" ");
        Write(PrometheusNaming.EscapeHelp(help));
        Write("\n# TYPE ");
        Write(name);
        Write(type switch
        {
            PrometheusMetricType.Counter => " counter\n",
            PrometheusMetricType.Gauge => " gauge\n",
            _ => " histogram\n",
        });
    }

    /// <summary>Writes a comment line (ignored by Prometheus; shown to a reader).</summary>
    public void WriteComment(string text)
    {
        Write("# ");
        Write(text.Replace('\n', ' ').Replace('\r', ' '));
        Write("\n");
    }

    /// <summary>Writes one sample with an integer value.</summary>
    public void WriteSample(string name, ReadOnlySpan<char> suffix, string labels, string? le, long value)
    {
        WriteSeries(name, suffix, labels, le);
        var span = output.GetSpan(24);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        span[written++] = (byte)'\n';
        output.Advance(written);
    }

    /// <summary>Writes one sample with a floating-point value (NaN and infinities as <c>NaN</c>, <c>+Inf</c>, <c>-Inf</c>).</summary>
    public void WriteSample(string name, ReadOnlySpan<char> suffix, string labels, string? le, double value)
    {
        WriteSeries(name, suffix, labels, le);
        var span = output.GetSpan(40);
        var written = FormatDouble(value, span);
        span[written++] = (byte)'\n';
        output.Advance(written);
    }

    /// <summary>Formats a value as the text format writes it (shortest round-trip form).</summary>
    public static string FormatDouble(double value)
    {
        Span<byte> buffer = stackalloc byte[40];
        var written = FormatDouble(value, buffer);
        return Encoding.ASCII.GetString(buffer[..written]);
    }

    private static int FormatDouble(double value, Span<byte> destination)
    {
        ReadOnlySpan<byte> special = double.IsNaN(value) ? "NaN"u8
            : double.IsPositiveInfinity(value) ? "+Inf"u8
            : double.IsNegativeInfinity(value) ? "-Inf"u8
            : default;
        if (!special.IsEmpty)
        {
            special.CopyTo(destination);
            return special.Length;
        }

        value.TryFormat(destination, out var written, "R", CultureInfo.InvariantCulture);

        // Go (and so Prometheus and its client libraries) writes exponents in lower case: 1e-06, not 1E-06.
        var e = destination[..written].IndexOf((byte)'E');
        if (e >= 0)
        {
            destination[e] = (byte)'e';
        }

        return written;
    }

    private void WriteSeries(string name, ReadOnlySpan<char> suffix, string labels, string? le)
    {
        Write(name);
        Write(suffix);
        if (labels.Length > 0 || le is not null)
        {
            Write("{");
            Write(labels);
            if (le is not null)
            {
                Write(labels.Length > 0 ? ",le=\"" : "le=\"");
                Write(le);
                Write("\"");
            }

            Write("}");
        }

        Write(" ");
    }

    private void Write(ReadOnlySpan<char> text)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
