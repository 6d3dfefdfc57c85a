using System.Buffers;
using System.Text;

namespace Ticker.Protocol.Resp;

/// <summary>
/// Writes RESP2 commands (arrays of bulk strings) into any <see cref="IBufferWriter{T}"/>, such as a
/// <see cref="System.IO.Pipelines.PipeWriter"/>: <c>BeginCommand(3); Arg(SET); Arg(key); Arg(value);</c>.
/// Each argument asks the output for its worst-case span once and then advances by what it wrote.
/// </summary>
/// <remarks>
/// Allocates nothing (the output may grow). The argument count given to <see cref="BeginCommand"/> is checked: a
/// wrong count would desynchronise the connection, so it throws instead.
/// </remarks>
public ref struct RespWriter
{
    private readonly IBufferWriter<byte> _output;
    private int _argsRemaining;
    private int _commandCount;

    /// <summary>Creates a writer over <paramref name="output"/>.</summary>
    /// <param name="output">Where the bytes go.</param>
    public RespWriter(IBufferWriter<byte> output)
    {
        _output = output;
    }

    /// <summary>How many commands have been started.</summary>
    public readonly int CommandCount => _commandCount;

    /// <summary>Whether the last command has all of its arguments.</summary>
    public readonly bool IsCommandComplete => _argsRemaining == 0;

    /// <summary>Starts a command of <paramref name="argCount"/> arguments, the command name included.</summary>
    /// <param name="argCount">The number of <c>Arg</c> calls that follow (at least 1).</param>
    /// <exception cref="InvalidOperationException">The previous command is missing arguments.</exception>
    public void BeginCommand(int argCount)
    {
        if (_argsRemaining != 0)
        {
            ThrowHelper.ThrowArgumentCount($"The previous command is missing {_argsRemaining} argument(s).");
        }

        if (argCount < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(argCount), "A command has at least one argument (its name).");
        }

        var span = _output.GetSpan(RespFormatter.MaxHeaderLength);
        _output.Advance(RespFormatter.WriteArrayHeader(span, argCount));
        _argsRemaining = argCount;
        _commandCount++;
    }

    /// <summary>Writes a binary-safe argument.</summary>
    /// <param name="value">The bytes.</param>
    public void Arg(ReadOnlySpan<byte> value)
    {
        TakeArg();
        var span = _output.GetSpan(value.Length + RespFormatter.MaxBulkOverhead);
        _output.Advance(RespFormatter.WriteBulk(span, value));
    }

    /// <summary>Writes an integer argument in decimal.</summary>
    /// <param name="value">The integer.</param>
    public void Arg(long value)
    {
        TakeArg();
        var span = _output.GetSpan(RespFormatter.MaxInt64Length + RespFormatter.MaxBulkOverhead);
        _output.Advance(RespFormatter.WriteBulk(span, value));
    }

    /// <summary>Writes a double argument in its shortest round-trippable form (<c>inf</c>, <c>-inf</c>, <c>nan</c> for the non-finite).</summary>
    /// <param name="value">The number.</param>
    public void Arg(double value)
    {
        TakeArg();
        var span = _output.GetSpan(RespFormatter.MaxDoubleLength + RespFormatter.MaxBulkOverhead);
        _output.Advance(RespFormatter.WriteBulk(span, value));
    }

    /// <summary>Writes a text argument as UTF-8.</summary>
    /// <param name="value">The text.</param>
    public void Arg(ReadOnlySpan<char> value)
    {
        TakeArg();
        var byteCount = Encoding.UTF8.GetByteCount(value);
        var span = _output.GetSpan(byteCount + RespFormatter.MaxBulkOverhead);
        _output.Advance(RespFormatter.WriteBulk(span, value, byteCount));
    }

    private void TakeArg()
    {
        if (_argsRemaining == 0)
        {
            ThrowHelper.ThrowArgumentCount("More arguments written than BeginCommand announced.");
        }

        _argsRemaining--;
    }
}
