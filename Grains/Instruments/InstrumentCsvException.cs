namespace Ticker.Grains.Instruments;

/// <summary>
/// A Kite instruments CSV could not be read: the message names the source, the line and, where one is to blame,
/// the column. The master is loaded at start-up, so a bad file stops the process with this one readable line.
/// </summary>
public sealed class InstrumentCsvException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="source">The file or stream the CSV came from (for the message).</param>
    /// <param name="lineNumber">1-based line number (the header is line 1).</param>
    /// <param name="columnNumber">1-based column number, or 0 when the whole line is at fault.</param>
    /// <param name="columnName">The header name of the column, or null when the whole line is at fault.</param>
    /// <param name="detail">What is wrong.</param>
    public InstrumentCsvException(string source, int lineNumber, int columnNumber, string? columnName, string detail)
        : base(FormatMessage(source, lineNumber, columnNumber, columnName, detail))
    {
        LineNumber = lineNumber;
        ColumnNumber = columnNumber;
        ColumnName = columnName;
        Detail = detail;
    }

    /// <summary>1-based line number (the header is line 1).</summary>
    public int LineNumber { get; }

    /// <summary>1-based column number, or 0 when the whole line is at fault.</summary>
    public int ColumnNumber { get; }

    /// <summary>The header name of the offending column, or null when the whole line is at fault.</summary>
    public string? ColumnName { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Detail { get; }

    private static string FormatMessage(string source, int lineNumber, int columnNumber, string? columnName, string detail) =>
        columnName is null
            ? $"Instruments CSV {source}, line {lineNumber}: {detail}"
            : $"Instruments CSV {source}, line {lineNumber}, column {columnNumber} ({columnName}): {detail}";
}
