using System.Buffers;
using System.Text;

namespace Ticker.Protocol.Resp;

/// <summary>
/// A reusable buffer of RESP2 commands, written with <see cref="BeginCommand"/> and the <c>Arg</c> overloads and
/// sent whole by <see cref="RedisConnection.ExecuteAsync(RedisBatch, IRespReplyHandler?, CancellationToken)"/>, which
/// flushes it once and awaits all of its replies together.
/// </summary>
/// <remarks>
/// <para>The bytes live in an array rented from <see cref="ArrayPool{T}.Shared"/>; writing a command allocates
/// nothing (a full buffer is swapped for a pooled one twice the size). Executing the batch hands its array to the
/// connection (which returns it to the pool once written) and leaves the batch empty, so the caller can refill it
/// at once, even before the replies arrive. Not thread-safe: one owner writes it.</para>
/// <para>The argument count given to <see cref="BeginCommand"/> is checked, because a wrong count would
/// desynchronise the connection.</para>
/// </remarks>
public sealed class RedisBatch : IDisposable
{
    /// <summary>The default value for the initial buffer size, in bytes.</summary>
    public const int DefaultInitialCapacity = 4096;

    private byte[] _buffer = [];
    private int _length;
    private int _commandCount;
    private int _argsRemaining;
    private readonly int _initialCapacity;
    private int _capacityHint;

    /// <summary>Creates an empty batch.</summary>
    /// <param name="initialCapacity">The buffer size rented on first use; after an execute, the next rent is the size the last batch needed (at least this).</param>
    public RedisBatch(int initialCapacity = DefaultInitialCapacity)
    {
        if (initialCapacity < 64)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(initialCapacity), "The initial capacity is at least 64 bytes.");
        }

        _initialCapacity = initialCapacity;
        _capacityHint = initialCapacity;
    }

    /// <summary>How many commands the batch holds.</summary>
    public int CommandCount => _commandCount;

    /// <summary>How many bytes the batch holds.</summary>
    public int Length => _length;

    /// <summary>Whether the last command has all of its arguments.</summary>
    public bool IsCommandComplete => _argsRemaining == 0;

    /// <summary>The encoded commands (valid until the batch is next written, executed or cleared).</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

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

        _length += RespFormatter.WriteArrayHeader(Reserve(RespFormatter.MaxHeaderLength), argCount);
        _argsRemaining = argCount;
        _commandCount++;
    }

    /// <summary>Appends a binary-safe argument.</summary>
    /// <param name="value">The bytes.</param>
    public void Arg(ReadOnlySpan<byte> value)
    {
        TakeArg();
        _length += RespFormatter.WriteBulk(Reserve(value.Length + RespFormatter.MaxBulkOverhead), value);
    }

    /// <summary>Appends an integer argument in decimal.</summary>
    /// <param name="value">The integer.</param>
    public void Arg(long value)
    {
        TakeArg();
        _length += RespFormatter.WriteBulk(Reserve(RespFormatter.MaxInt64Length + RespFormatter.MaxBulkOverhead), value);
    }

    /// <summary>
    /// Appends a double argument in its shortest round-trippable invariant form; infinities are written
    /// <c>inf</c>/<c>-inf</c> and NaN <c>nan</c> (Redis's spellings; ZADD and INCRBYFLOAT refuse NaN).
    /// </summary>
    /// <param name="value">The number.</param>
    public void Arg(double value)
    {
        TakeArg();
        _length += RespFormatter.WriteBulk(Reserve(RespFormatter.MaxDoubleLength + RespFormatter.MaxBulkOverhead), value);
    }

    /// <summary>Appends a text argument as UTF-8.</summary>
    /// <param name="value">The text.</param>
    public void Arg(ReadOnlySpan<char> value)
    {
        TakeArg();
        var byteCount = Encoding.UTF8.GetByteCount(value);
        _length += RespFormatter.WriteBulk(Reserve(byteCount + RespFormatter.MaxBulkOverhead), value, byteCount);
    }

    /// <summary>Forgets every command (keeps the buffer).</summary>
    public void Clear()
    {
        _length = 0;
        _commandCount = 0;
        _argsRemaining = 0;
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        Clear();
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Hands the buffer and its commands to the caller (who returns the array to <see cref="ArrayPool{T}.Shared"/>)
    /// and leaves the batch empty; the next write rents a buffer of the size this one needed.
    /// </summary>
    internal byte[] Detach(out int length, out int commandCount)
    {
        if (_argsRemaining != 0)
        {
            ThrowHelper.ThrowArgumentCount($"The last command of the batch is missing {_argsRemaining} argument(s).");
        }

        var buffer = _buffer;
        length = _length;
        commandCount = _commandCount;
        _capacityHint = Math.Max(_initialCapacity, length);
        _buffer = [];
        Clear();
        return buffer;
    }

    private void TakeArg()
    {
        if (_argsRemaining == 0)
        {
            ThrowHelper.ThrowArgumentCount("More arguments written than BeginCommand announced.");
        }

        _argsRemaining--;
    }

    private Span<byte> Reserve(int size)
    {
        if (_buffer.Length - _length < size)
        {
            Grow(size);
        }

        return _buffer.AsSpan(_length);
    }

    private void Grow(int size)
    {
        var needed = (long)_length + size;
        if (needed > Array.MaxLength)
        {
            ThrowHelper.ThrowInvalidOperation("The batch would exceed the largest array .NET can allocate.");
        }

        var capacity = (int)Math.Min(Array.MaxLength, Math.Max(needed, Math.Max(_capacityHint, (long)_buffer.Length * 2)));
        var bigger = ArrayPool<byte>.Shared.Rent(capacity);
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        var old = _buffer;
        _buffer = bigger;
        if (old.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(old);
        }
    }
}
