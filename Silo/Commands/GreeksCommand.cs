using System.Buffers;
using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Ticker.Grains.Interfaces.Pricing;
using Ticker.Grains.Pricing;

namespace Ticker.Silo.Commands;

/// <summary>
/// <c>./ticker greeks</c>: reads JSON lines on stdin, each an option to price (given <c>sigma</c>) or to solve for
/// implied volatility (given <c>price</c>), and writes one JSON line per input line, in order, flushed per line.
/// </summary>
/// <remarks>
/// Input: <c>{"type":"call"|"put","spot":S,"strike":K,"t":years,"r":rate,"q":yield,"sigma":σ}</c> or the same with
/// <c>"price"</c> instead of <c>"sigma"</c>; <c>r</c> and <c>q</c> default to 0. Output:
/// <c>{"price","iv","delta","gamma","vega","theta","rho"}</c> with the conventions of <see cref="BlackScholes"/>;
/// when no volatility exists (price outside the no-arbitrage bounds, or expired) every field is null and
/// <c>"error"</c> says why; a line that is not a valid request gets <c>{"error":"…"}</c> alone. The exit code is 0
/// when every line was a valid request and 1 otherwise.
/// </remarks>
internal static class GreeksCommand
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Error messages quote field names; keep them readable instead of \u0022-escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>Creates the <c>greeks</c> subcommand.</summary>
    public static Command Create()
    {
        var command = new Command(
            "greeks",
            "Price options and solve implied volatility (Black-Scholes-Merton): JSON lines on stdin, one JSON result line per input line on stdout.");
        command.SetAction(_ =>
        {
            var exitCode = Run(Console.In, Console.Out, out var badLines);
            if (badLines > 0)
            {
                Console.Error.WriteLine($"greeks: {badLines} input line(s) were not valid requests");
            }

            return exitCode;
        });
        return command;
    }

    /// <summary>Processes every line of <paramref name="input"/>, writing one result line per input line to <paramref name="output"/>.</summary>
    /// <param name="input">JSON lines, one request each.</param>
    /// <param name="output">Receives one JSON line per input line, flushed after each.</param>
    /// <param name="badLines">The number of lines that were not valid requests.</param>
    /// <returns>0 when every line was a valid request, 1 otherwise.</returns>
    internal static int Run(TextReader input, TextWriter output, out int badLines)
    {
        badLines = 0;
        var buffer = new ArrayBufferWriter<byte>(256);
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        var lineBytes = ArrayPool<byte>.Shared.Rent(1024);
        try
        {
            while (input.ReadLine() is { } line)
            {
                var byteCount = Encoding.UTF8.GetByteCount(line);
                if (byteCount > lineBytes.Length)
                {
                    ArrayPool<byte>.Shared.Return(lineBytes);
                    lineBytes = ArrayPool<byte>.Shared.Rent(byteCount);
                }

                Encoding.UTF8.GetBytes(line, lineBytes);
                buffer.ResetWrittenCount();
                writer.Reset(buffer);
                if (!ProcessLine(lineBytes.AsSpan(0, byteCount), writer))
                {
                    badLines++;
                }

                writer.Flush();
                output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
                output.Flush();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(lineBytes);
        }

        return badLines == 0 ? 0 : 1;
    }

    /// <summary>Answers one line; returns false when it was not a valid request.</summary>
    private static bool ProcessLine(ReadOnlySpan<byte> line, Utf8JsonWriter writer)
    {
        string? error;
        Request request;
        try
        {
            error = TryParse(line, out request);
        }
        catch (JsonException exception)
        {
            error = "invalid JSON: " + exception.Message;
            request = default;
        }

        if (error is null)
        {
            error = Validate(in request);
        }

        if (error is not null)
        {
            writer.WriteStartObject();
            writer.WriteString("error", error);
            writer.WriteEndObject();
            return false;
        }

        var right = request.Right;
        double sigma;
        IvStatus status;
        if (request.Years <= 0)
        {
            status = IvStatus.Expired;
            sigma = 0;
        }
        else if (request.HasSigma)
        {
            status = IvStatus.Ok;
            sigma = request.Sigma;
        }
        else
        {
            status = ImpliedVolatility.TrySolve(right, request.Price, request.Spot, request.Strike, request.Years, request.Rate, request.Yield, 0, out sigma);
        }

        writer.WriteStartObject();
        if (status == IvStatus.Ok)
        {
            var greeks = default(Greeks);
            BlackScholes.Compute(right, request.Spot, request.Strike, request.Years, request.Rate, request.Yield, sigma, ref greeks);
            writer.WriteNumber("price", greeks.Price);
            writer.WriteNumber("iv", sigma);
            writer.WriteNumber("delta", greeks.Delta);
            writer.WriteNumber("gamma", greeks.Gamma);
            writer.WriteNumber("vega", greeks.Vega);
            writer.WriteNumber("theta", greeks.Theta);
            writer.WriteNumber("rho", greeks.Rho);
        }
        else
        {
            foreach (var name in (ReadOnlySpan<string>)["price", "iv", "delta", "gamma", "vega", "theta", "rho"])
            {
                writer.WriteNull(name);
            }

            writer.WriteString("error", Describe(status));
        }

        writer.WriteEndObject();
        return true;
    }

    /// <summary>Reads one request object; returns an error message, or null when it was read.</summary>
    private static string? TryParse(ReadOnlySpan<byte> line, out Request request)
    {
        request = default;
        if (line.Trim(" \t"u8).IsEmpty)
        {
            return "empty line: expected a JSON object";
        }

        var reader = new Utf8JsonReader(line, ReaderOptions);
        reader.Read();

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return "expected a JSON object";
        }

        var seen = Field.None;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Identify(ref reader, out var name);
            if (field == Field.None)
            {
                return $"unknown field \"{name}\" (expected type, spot, strike, t, r, q, sigma or price)";
            }

            if ((seen & field) != 0)
            {
                return $"duplicate field \"{name}\"";
            }

            seen |= field;
            reader.Read();
            if (field == Field.Type)
            {
                if (reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("call"u8))
                {
                    request.Right = OptionRight.Call;
                }
                else if (reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("put"u8))
                {
                    request.Right = OptionRight.Put;
                }
                else
                {
                    return "\"type\" must be \"call\" or \"put\"";
                }

                continue;
            }

            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var value) || !double.IsFinite(value))
            {
                return $"\"{name}\" must be a finite number";
            }

            switch (field)
            {
                case Field.Spot: request.Spot = value; break;
                case Field.Strike: request.Strike = value; break;
                case Field.Years: request.Years = value; break;
                case Field.Rate: request.Rate = value; break;
                case Field.Yield: request.Yield = value; break;
                case Field.Sigma: request.Sigma = value; request.HasSigma = true; break;
                default: request.Price = value; break;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return "expected a JSON object";
        }

        if (reader.Read())
        {
            return "unexpected content after the JSON object";
        }

        foreach (var (required, name) in (ReadOnlySpan<(Field, string)>)[(Field.Type, "type"), (Field.Spot, "spot"), (Field.Strike, "strike"), (Field.Years, "t")])
        {
            if ((seen & required) == 0)
            {
                return $"missing field \"{name}\"";
            }
        }

        var volOrPrice = seen & (Field.Sigma | Field.Price);
        return volOrPrice is Field.Sigma or Field.Price ? null : "give exactly one of \"sigma\" (to price) or \"price\" (to solve implied volatility)";
    }

    /// <summary>Checks the ranges of a parsed request; returns an error message or null.</summary>
    private static string? Validate(in Request request)
    {
        if (!(request.Spot > 0))
        {
            return "\"spot\" must be positive";
        }

        if (!(request.Strike > 0))
        {
            return "\"strike\" must be positive";
        }

        if (request.HasSigma && !(request.Sigma > 0))
        {
            return "\"sigma\" must be positive";
        }

        return !request.HasSigma && request.Price < 0 ? "\"price\" must not be negative" : null;
    }

    private static Field Identify(ref Utf8JsonReader reader, out string name)
    {
        name = reader.GetString() ?? string.Empty;
        return name switch
        {
            "type" => Field.Type,
            "spot" => Field.Spot,
            "strike" => Field.Strike,
            "t" => Field.Years,
            "r" => Field.Rate,
            "q" => Field.Yield,
            "sigma" => Field.Sigma,
            "price" => Field.Price,
            _ => Field.None,
        };
    }

    private static string Describe(IvStatus status) => status switch
    {
        IvStatus.BelowIntrinsic => "price below intrinsic value",
        IvStatus.AboveUpperBound => "price at or above the no-arbitrage upper bound",
        IvStatus.Expired => "option has expired (t <= 0)",
        IvStatus.InvalidInput => "invalid input",
        _ => "implied volatility did not converge",
    };

    /// <summary>The fields of a request, as bits so that duplicates and omissions are easy to see.</summary>
    [Flags]
    private enum Field
    {
        None = 0,
        Type = 1,
        Spot = 2,
        Strike = 4,
        Years = 8,
        Rate = 16,
        Yield = 32,
        Sigma = 64,
        Price = 128,
    }

    /// <summary>One parsed input line.</summary>
    private struct Request
    {
        public OptionRight Right;
        public double Spot;
        public double Strike;
        public double Years;
        public double Rate;
        public double Yield;
        public double Sigma;
        public double Price;
        public bool HasSigma;
    }
}
