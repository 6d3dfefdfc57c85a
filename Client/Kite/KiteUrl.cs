using System.Text;

namespace Ticker.Client.Kite;

/// <summary>Builds the Kite ticker URL and keeps the access token out of anything that is logged.</summary>
public static class KiteUrl
{
    /// <summary>The default value for the ticker URL: Kite Connect's streaming endpoint.</summary>
    public const string DefaultUrl = "wss://ws.kite.trade";

    /// <summary>What a secret is replaced with by <see cref="Redact(string?)"/>.</summary>
    public const string Redacted = "***";

    // Query parameters whose values are secrets. The API key is not one: it names the account everywhere.
    private static readonly string[] SecretNames = ["access_token", "api_secret", "enctoken"];

    /// <summary>
    /// Returns <paramref name="baseUrl"/> with <c>api_key</c> and <c>access_token</c> added to its query (escaped),
    /// keeping any query it already has.
    /// </summary>
    /// <exception cref="UriFormatException"><paramref name="baseUrl"/> is not an absolute URL.</exception>
    public static Uri Build(string baseUrl, string apiKey, string accessToken)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(apiKey);
        ArgumentNullException.ThrowIfNull(accessToken);
        var builder = new UriBuilder(new Uri(baseUrl, UriKind.Absolute));
        var query = builder.Query.TrimStart('?');
        var added = $"api_key={Uri.EscapeDataString(apiKey)}&access_token={Uri.EscapeDataString(accessToken)}";
        builder.Query = query.Length == 0 ? added : query + "&" + added;
        return builder.Uri;
    }

    /// <summary>
    /// Replaces the value of every <c>access_token=</c> (and <c>api_secret=</c>, <c>enctoken=</c>) query parameter in
    /// <paramref name="text"/> with <see cref="Redacted"/>. Works on a bare URL or on any text that contains URLs (an
    /// exception message, a log line); parameter names match case-insensitively, and only as whole names.
    /// </summary>
    /// <returns>The text with every secret value replaced; null stays null.</returns>
    public static string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        StringBuilder? result = null;
        var copied = 0;
        var i = 0;
        while (i < text.Length)
        {
            var nameLength = SecretNameAt(text, i);
            if (nameLength == 0)
            {
                i++;
                continue;
            }

            var valueStart = i + nameLength;
            var valueEnd = valueStart;
            while (valueEnd < text.Length && !EndsValue(text[valueEnd]))
            {
                valueEnd++;
            }

            result ??= new StringBuilder(text.Length);
            result.Append(text, copied, valueStart - copied).Append(Redacted);
            copied = valueEnd;
            i = valueEnd;
        }

        return result is null ? text : result.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>
    /// Replaces every occurrence of <paramref name="secret"/> in <paramref name="text"/> with
    /// <see cref="Redacted"/>, then applies <see cref="Redact(string?)"/>: for messages that may quote a token outside
    /// a URL.
    /// </summary>
    public static string? Redact(string? text, string? secret)
    {
        if (!string.IsNullOrEmpty(text) && !string.IsNullOrEmpty(secret))
        {
            text = text.Replace(secret, Redacted, StringComparison.Ordinal);
            var escaped = Uri.EscapeDataString(secret);
            if (escaped != secret)
            {
                text = text.Replace(escaped, Redacted, StringComparison.Ordinal);
            }
        }

        return Redact(text);
    }

    /// <summary>The length of <c>name=</c> when a secret parameter starts at <paramref name="index"/>, else 0.</summary>
    private static int SecretNameAt(string text, int index)
    {
        // A whole name only: the character before it must not be part of a name.
        if (index > 0 && IsNameChar(text[index - 1]))
        {
            return 0;
        }

        foreach (var name in SecretNames)
        {
            if (string.Compare(text, index, name, 0, name.Length, StringComparison.OrdinalIgnoreCase) == 0
                && index + name.Length < text.Length
                && text[index + name.Length] == '=')
            {
                return name.Length + 1;
            }
        }

        return 0;
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';

    private static bool EndsValue(char c) => c is '&' or '#' or '"' or '\'' or '<' or '>' or ';' or ',' or ')' || char.IsWhiteSpace(c);
}
