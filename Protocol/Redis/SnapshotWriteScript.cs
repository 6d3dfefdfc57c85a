using System.Buffers.Text;
using Ticker.Grains.Interfaces.Streams;

namespace Ticker.Protocol.Redis;

/// <summary>
/// The Lua script that writes one flushed batch of snapshots, fenced on stream position: a <c>tick:snap:{token}</c>
/// hash is written only when the snapshot's position is newer than or equal to the one the hash holds (equal: the
/// same batch written again, an idempotent rewrite), and each <c>tick:updates:{underlying}</c> message carries only
/// the updates newer than the position their hash held before the script ran. So a silo that was paused, lost its
/// queue and resumed can flush its stale snapshots without undoing what the new owner wrote, and a subscriber never
/// sees an instrument's <c>ticks</c> go backwards (also when a batch's latest update is newer than the hash but its
/// earlier ones are not).
/// </summary>
/// <remarks>
/// <para>KEYS: one <c>tick:snap:{token}</c> per instrument of the batch, each once.</para>
/// <para>ARGV[1]: one MessagePack array of strings (<see cref="PackedArguments"/>, unpacked by <c>cmsgpack</c>) holding
/// the number of channels; then for each key, in order, its position as <see cref="PositionLength"/> digits
/// (<see cref="AddPosition"/>), the number of field/value pairs and the pairs (<see cref="SnapshotHash.Write"/>); then
/// for each channel its name, the number of updates and, per update, the 1-based index of its key, its position
/// (<see cref="AddPosition"/>) and its JSON object (<see cref="SnapshotUpdateJson"/>).</para>
/// <para>Returns the number of keys refused because the hash held a newer position.</para>
/// </remarks>
public static class SnapshotWriteScript
{
    /// <summary>Digits of an encoded position: 20 for the entry's milliseconds, 20 for its sequence, 10 for the index.</summary>
    public const int PositionLength = 50;

    /// <summary>
    /// The script. A stored position is parsed from its <c>ms-seq/index</c> text and zero-padded the same way; a hash
    /// without a readable position is overwritten. Positions are compared ten digits at a time as numbers: exact in
    /// Lua's doubles, and free of the locale collation Lua's string comparison uses.
    /// </summary>
    public const string Lua = """
        local ARGV = cmsgpack.unpack(ARGV[1])
        local function padded(text)
          if not text then return nil end
          local ms, seq, index = string.match(text, '^(%d+)%-(%d+)/(%d+)$')
          if not ms or #ms > 20 or #seq > 20 or #index > 10 then return nil end
          return string.rep('0', 20 - #ms) .. ms .. string.rep('0', 20 - #seq) .. seq .. string.rep('0', 10 - #index) .. index
        end
        local function older(a, b)
          for i = 1, 50, 10 do
            local x, y = tonumber(string.sub(a, i, i + 9)), tonumber(string.sub(b, i, i + 9))
            if x ~= y then return x < y end
          end
          return false
        end
        local before = {}
        local refused = 0
        local a = 2
        for k = 1, #KEYS do
          local n = tonumber(ARGV[a + 1])
          local stored = padded(redis.call('HGET', KEYS[k], 'position'))
          before[k] = stored or false
          if stored and older(ARGV[a], stored) then
            refused = refused + 1
          else
            redis.call('HSET', KEYS[k], unpack(ARGV, a + 2, a + 1 + 2 * n))
          end
          a = a + 2 + 2 * n
        end
        for c = 1, tonumber(ARGV[1]) do
          local channel, count = ARGV[a], tonumber(ARGV[a + 1])
          a = a + 2
          local parts = {}
          for u = 1, count do
            local stored = before[tonumber(ARGV[a])]
            if not stored or older(stored, ARGV[a + 1]) then parts[#parts + 1] = ARGV[a + 2] end
            a = a + 3
          end
          if #parts > 0 then redis.call('PUBLISH', channel, '[' .. table.concat(parts, ',') .. ']') end
        end
        return refused
        """;

    /// <summary>
    /// Appends <paramref name="position"/> as <see cref="PositionLength"/> digits (milliseconds, sequence, index,
    /// each zero-padded), so the script compares positions exactly. Negative parts (never written by a stream) count
    /// as zero.
    /// </summary>
    /// <param name="args">Where the position goes.</param>
    /// <param name="position">The snapshot's position.</param>
    /// <remarks>Allocates nothing once <paramref name="args"/> has warmed up.</remarks>
    public static void AddPosition(PackedArguments args, StreamPosition position)
    {
        ArgumentNullException.ThrowIfNull(args);
        Span<byte> digits = stackalloc byte[PositionLength];
        Padded(digits[..20], position.Entry.Milliseconds);
        Padded(digits[20..40], position.Entry.Sequence);
        Padded(digits[40..], position.Index);
        args.AddCopy(digits);
    }

    private static void Padded(Span<byte> destination, long value)
    {
        destination.Fill((byte)'0');
        if (value <= 0)
        {
            return;
        }

        Span<byte> text = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, text, out var length);
        text[..length].CopyTo(destination[^length..]);
    }
}
