using System.Globalization;
using System.Text;
using Ticker.Grains.Interfaces.Instruments;

namespace Ticker.Grains.Instruments;

/// <summary>
/// Reads and writes Kite's instruments CSV (the dump behind <c>GET /instruments</c>):
/// <c>instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange</c>.
/// Columns are found by their header name, so their order does not matter and extra columns are ignored.
/// Fields may be quoted (<c>"NIFTY 50"</c>, with <c>""</c> for a quote inside); an empty expiry means none; expiries
/// are <c>yyyy-MM-dd</c>. Any malformed row stops the load with an <see cref="InstrumentCsvException"/> naming the
/// line and column.
/// </summary>
public static class InstrumentCsv
{
    /// <summary>The columns, in Kite's order (the order <see cref="Write"/> uses).</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "instrument_token", "exchange_token", "tradingsymbol", "name", "last_price", "expiry",
        "strike", "tick_size", "lot_size", "instrument_type", "segment", "exchange",
    ];

    private const int InstrumentTokenColumn = 0;
    private const int ExchangeTokenColumn = 1;
    private const int TradingSymbolColumn = 2;
    private const int NameColumn = 3;
    private const int LastPriceColumn = 4;
    private const int ExpiryColumn = 5;
    private const int StrikeColumn = 6;
    private const int TickSizeColumn = 7;
    private const int LotSizeColumn = 8;
    private const int InstrumentTypeColumn = 9;
    private const int SegmentColumn = 10;
    private const int ExchangeColumn = 11;
    private const string ExpiryFormat = "yyyy-MM-dd";

    /// <summary>Reads a Kite instruments CSV and builds the master from it.</summary>
    /// <param name="reader">The CSV text, header first.</param>
    /// <param name="map">Derivative name → index tradingsymbol; <see cref="UnderlyingMap.Default"/> when null.</param>
    /// <exception cref="InstrumentCsvException">The header or a row is malformed, or a token appears twice.</exception>
    public static InstrumentMaster Load(TextReader reader, UnderlyingMap? map = null) => LoadCore(reader, "<stream>", map);

    /// <summary>Reads a Kite instruments CSV file and builds the master from it.</summary>
    /// <param name="path">The file.</param>
    /// <param name="map">Derivative name → index tradingsymbol; <see cref="UnderlyingMap.Default"/> when null.</param>
    /// <exception cref="InstrumentCsvException">The header or a row is malformed, or a token appears twice.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static InstrumentMaster LoadFile(string path, UnderlyingMap? map = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return LoadCore(reader, $"'{path}'", map);
    }

    /// <summary>Writes instruments as a Kite instruments CSV (header and one row each, <c>\n</c> line ends).</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="instruments">The rows, written in the order given.</param>
    public static void Write(TextWriter writer, IEnumerable<Instrument> instruments)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(instruments);

        writer.Write(string.Join(',', Columns));
        writer.Write('\n');
        var invariant = CultureInfo.InvariantCulture;
        foreach (var instrument in instruments)
        {
            writer.Write(instrument.InstrumentToken.ToString(invariant));
            writer.Write(',');
            writer.Write(instrument.ExchangeToken.ToString(invariant));
            writer.Write(',');
            WriteText(writer, instrument.TradingSymbol);
            writer.Write(',');
            WriteText(writer, instrument.Name);
            writer.Write(',');
            writer.Write(instrument.LastPrice.ToString(invariant));
            writer.Write(',');
            writer.Write(instrument.Expiry?.ToString(ExpiryFormat, invariant) ?? "");
            writer.Write(',');
            writer.Write(instrument.Strike.ToString(invariant));
            writer.Write(',');
            writer.Write(instrument.TickSize.ToString(invariant));
            writer.Write(',');
            writer.Write(instrument.LotSize.ToString(invariant));
            writer.Write(',');
            WriteText(writer, instrument.InstrumentType);
            writer.Write(',');
            WriteText(writer, instrument.Segment);
            writer.Write(',');
            WriteText(writer, instrument.Exchange);
            writer.Write('\n');
        }
    }

    private static InstrumentMaster LoadCore(TextReader reader, string source, UnderlyingMap? map)
    {
        ArgumentNullException.ThrowIfNull(reader);

        var fields = new List<string>(Columns.Count + 4);
        var header = reader.ReadLine();
        var lineNumber = 1;
        if (header is null)
        {
            throw new InstrumentCsvException(source, lineNumber, 0, null, "the file is empty (expected the header line)");
        }

        SplitOrThrow(header.TrimStart('\uFEFF'), fields, source, lineNumber, null);
        var positions = ColumnPositions(fields, source);
        var headerNames = fields.ToArray();

        var rows = new List<Instrument>();
        var lineByToken = new Dictionary<uint, int>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0 || string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            SplitOrThrow(line, fields, source, lineNumber, headerNames);
            if (fields.Count != headerNames.Length)
            {
                throw new InstrumentCsvException(
                    source, lineNumber, 0, null, $"expected {headerNames.Length} fields as in the header, found {fields.Count}");
            }

            var row = new RowReader(fields, positions, source, lineNumber);
            var token = row.UInt(InstrumentTokenColumn, allowEmpty: false);
            if (token == 0)
            {
                row.Fail(InstrumentTokenColumn, "instrument token 0 is not a token");
            }

            if (!lineByToken.TryAdd(token, lineNumber))
            {
                row.Fail(InstrumentTokenColumn, $"token {token} already appears on line {lineByToken[token]}");
            }

            var tradingSymbol = row.Text(TradingSymbolColumn);
            if (tradingSymbol.Length == 0)
            {
                row.Fail(TradingSymbolColumn, "tradingsymbol is empty");
            }

            var instrumentType = row.Text(InstrumentTypeColumn);
            var expiry = row.Date(ExpiryColumn);
            var kind = InstrumentMaster.KindOf(instrumentType);
            if (kind is InstrumentKind.Call or InstrumentKind.Put or InstrumentKind.Future && expiry is null)
            {
                row.Fail(ExpiryColumn, $"a {instrumentType} row needs an expiry");
            }

            var strike = row.Double(StrikeColumn);
            if (kind is InstrumentKind.Call or InstrumentKind.Put && strike <= 0)
            {
                row.Fail(StrikeColumn, $"a {instrumentType} row needs a positive strike, found {strike.ToString(CultureInfo.InvariantCulture)}");
            }

            rows.Add(new Instrument
            {
                InstrumentToken = token,
                ExchangeToken = row.UInt(ExchangeTokenColumn, allowEmpty: true),
                TradingSymbol = tradingSymbol,
                Name = row.Text(NameColumn),
                LastPrice = row.Double(LastPriceColumn),
                Expiry = expiry,
                Strike = strike,
                TickSize = row.Double(TickSizeColumn),
                LotSize = row.Int(LotSizeColumn),
                InstrumentType = instrumentType,
                Segment = row.Text(SegmentColumn),
                Exchange = row.Text(ExchangeColumn),
            });
        }

        return InstrumentMaster.Create(rows, map ?? UnderlyingMap.Default);
    }

    private static int[] ColumnPositions(List<string> header, string source)
    {
        var positions = new int[Columns.Count];
        for (var c = 0; c < Columns.Count; c++)
        {
            positions[c] = -1;
            for (var h = 0; h < header.Count; h++)
            {
                if (string.Equals(header[h].Trim(), Columns[c], StringComparison.OrdinalIgnoreCase))
                {
                    if (positions[c] >= 0)
                    {
                        throw new InstrumentCsvException(source, 1, h + 1, Columns[c], "the column appears twice in the header");
                    }

                    positions[c] = h;
                }
            }

            if (positions[c] < 0)
            {
                throw new InstrumentCsvException(
                    source, 1, 0, null, $"the header lacks the column '{Columns[c]}' (expected {string.Join(',', Columns)})");
            }
        }

        return positions;
    }

    /// <summary>Splits one CSV line into fields: unquoted fields are trimmed, quoted ones kept as written.</summary>
    private static void SplitOrThrow(string line, List<string> fields, string source, int lineNumber, string[]? headerNames)
    {
        fields.Clear();
        var text = new StringBuilder();
        var i = 0;
        while (true)
        {
            var column = fields.Count + 1;
            // Skip blanks before a field so that ` "NIFTY 50"` still counts as quoted.
            var start = i;
            while (i < line.Length && line[i] == ' ')
            {
                i++;
            }

            if (i < line.Length && line[i] == '"')
            {
                text.Clear();
                i++;
                var closed = false;
                while (i < line.Length)
                {
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            text.Append('"');
                            i += 2;
                            continue;
                        }

                        closed = true;
                        i++;
                        break;
                    }

                    text.Append(line[i]);
                    i++;
                }

                if (!closed)
                {
                    Throw(column, "a quoted field is not closed on its line");
                }

                while (i < line.Length && line[i] == ' ')
                {
                    i++;
                }

                if (i < line.Length && line[i] != ',')
                {
                    Throw(column, $"unexpected '{line[i]}' after a quoted field");
                }

                fields.Add(text.ToString());
            }
            else
            {
                var comma = line.IndexOf(',', start);
                var end = comma < 0 ? line.Length : comma;
                var field = line.AsSpan(start, end - start).Trim();
                if (field.Contains('"'))
                {
                    Throw(column, "a quote inside an unquoted field");
                }

                fields.Add(field.ToString());
                i = end;
            }

            if (i >= line.Length)
            {
                return;
            }

            i++; // the comma
        }

        void Throw(int column, string detail)
        {
            var name = headerNames is not null && column <= headerNames.Length ? headerNames[column - 1] : null;
            throw new InstrumentCsvException(source, lineNumber, column, name ?? $"#{column}", detail);
        }
    }

    private static void WriteText(TextWriter writer, string value)
    {
        var needsQuotes = value.Length > 0
            && (value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]));
        if (!needsQuotes)
        {
            writer.Write(value);
            return;
        }

        writer.Write('"');
        writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        writer.Write('"');
    }

    /// <summary>Typed access to the fields of one row, failing with the line and column.</summary>
    private readonly struct RowReader(List<string> fields, int[] positions, string source, int lineNumber)
    {
        public string Text(int column) => fields[positions[column]];

        public uint UInt(int column, bool allowEmpty)
        {
            var text = Text(column);
            if (text.Length == 0 && allowEmpty)
            {
                return 0;
            }

            if (!uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                Fail(column, $"'{text}' is not an unsigned 32-bit integer");
            }

            return value;
        }

        public int Int(int column)
        {
            var text = Text(column);
            if (text.Length == 0)
            {
                return 0;
            }

            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                Fail(column, $"'{text}' is not a non-negative integer");
            }

            return value;
        }

        public double Double(int column)
        {
            var text = Text(column);
            if (text.Length == 0)
            {
                return 0;
            }

            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                Fail(column, $"'{text}' is not a number");
            }

            if (value < 0)
            {
                Fail(column, $"'{text}' is negative");
            }

            return value;
        }

        public DateOnly? Date(int column)
        {
            var text = Text(column);
            if (text.Length == 0)
            {
                return null;
            }

            if (!DateOnly.TryParseExact(text, ExpiryFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
            {
                Fail(column, $"'{text}' is not a date in the form {ExpiryFormat}");
            }

            return value;
        }

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public void Fail(int column, string detail) =>
            throw new InstrumentCsvException(source, lineNumber, positions[column] + 1, Columns[column], detail);
    }
}
