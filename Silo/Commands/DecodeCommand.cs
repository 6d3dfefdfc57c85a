using System.Buffers;
using System.CommandLine;
using System.Text;
using System.Text.Json;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Protocol.Kite;

namespace Ticker.Silo.Commands;

/// <summary>
/// <c>./ticker decode</c>: reads Kite binary WebSocket messages as hex, one whole message per line, and prints one
/// JSON line per packet with the official Python client's field names.
/// </summary>
internal static class DecodeCommand
{
    private const int StreamBufferSize = 64 * 1024;

    /// <summary>Creates the <c>decode</c> subcommand.</summary>
    public static Command Create()
    {
        var command = new Command(
            "decode",
            "Decode Kite binary messages: one message per stdin line as hex; one JSON line per packet on stdout "
            + "(pykiteconnect field names), one {\"error\": ...} line per malformed message. Exits 1 if any message was malformed.");
        command.SetAction(_ =>
        {
            using var input = new StreamReader(Console.OpenStandardInput(), Encoding.UTF8, false, StreamBufferSize);
            using var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), StreamBufferSize);
            return Run(input, output);
        });
        return command;
    }

    /// <summary>
    /// Decodes every line of <paramref name="input"/> and writes the JSON lines to <paramref name="output"/>. Empty
    /// lines and heartbeats (1-byte messages) print nothing; a malformed message (bad hex or a
    /// <see cref="KiteDecodeError"/>) prints exactly one <c>{"error": "..."}</c> line and none of its packets.
    /// </summary>
    /// <param name="input">Lines of hex; whitespace around each line is ignored.</param>
    /// <param name="output">Receives one JSON object per line.</param>
    /// <returns>0 when every message decoded, 1 when at least one was malformed.</returns>
    public static int Run(TextReader input, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var printer = new JsonLinePrinter(output);
        var message = Array.Empty<byte>();
        var ticks = Array.Empty<Tick>();
        var malformed = false;
        var lineNumber = 0;
        while (input.ReadLine() is { } line)
        {
            lineNumber++;
            var hex = line.AsSpan().Trim();
            if (hex.IsEmpty)
            {
                continue;
            }

            if (message.Length < (hex.Length + 1) / 2)
            {
                message = new byte[Math.Max(hex.Length, 2 * message.Length)];
            }

            var status = Convert.FromHexString(hex, message, out _, out var length);
            if (status != OperationStatus.Done)
            {
                printer.WriteError(lineNumber, status == OperationStatus.NeedMoreData
                    ? "not hex (odd number of digits)"
                    : "not hex (a character other than 0-9, a-f, A-F)");
                malformed = true;
                continue;
            }

            var bytes = message.AsSpan(0, length);
            if (KiteDecoder.IsHeartbeat(bytes))
            {
                continue;
            }

            var count = KiteDecoder.ReadPacketCount(bytes);
            if (ticks.Length < count)
            {
                ticks = new Tick[count];
            }

            var error = KiteDecoder.TryDecode(bytes, ticks, 0, out var written);
            if (error != KiteDecodeError.None)
            {
                printer.WriteError(lineNumber, $"{error}: {error.Describe()} (packets announced: {count}, decoded: {written})");
                malformed = true;
                continue;
            }

            for (var i = 0; i < written; i++)
            {
                printer.WriteTick(in ticks[i]);
            }
        }

        output.Flush();
        return malformed ? 1 : 0;
    }

    /// <summary>Writes JSON objects to a <see cref="TextWriter"/>, one per line, reusing its buffers.</summary>
    private sealed class JsonLinePrinter
    {
        private static readonly JsonEncodedText ErrorName = JsonEncodedText.Encode("error");

        private readonly TextWriter _output;
        private readonly ArrayBufferWriter<byte> _buffer = new(4096);
        private readonly Utf8JsonWriter _writer;
        private char[] _chars = new char[4096];

        public JsonLinePrinter(TextWriter output)
        {
            _output = output;
            _writer = new Utf8JsonWriter(_buffer);
        }

        public void WriteTick(in Tick tick)
        {
            Begin();
            KiteTickJson.Write(_writer, in tick);
            End();
        }

        public void WriteError(int lineNumber, string reason)
        {
            Begin();
            _writer.WriteStartObject();
            _writer.WriteString(ErrorName, $"line {lineNumber}: {reason}");
            _writer.WriteEndObject();
            End();
        }

        private void Begin()
        {
            _buffer.ResetWrittenCount();
            _writer.Reset(_buffer);
        }

        private void End()
        {
            _writer.Flush();
            var utf8 = _buffer.WrittenSpan;
            var needed = Encoding.UTF8.GetMaxCharCount(utf8.Length);
            if (_chars.Length < needed)
            {
                _chars = new char[needed];
            }

            var length = Encoding.UTF8.GetChars(utf8, _chars);
            _output.Write(_chars, 0, length);
            _output.Write('\n');
        }
    }
}
