using System.Globalization;
using System.Net.Security;
using System.Text;

namespace Ticker.Protocol.Resp;

/// <summary>
/// Where and how to connect to Redis. The usual string form is
/// <c>host:port,password=…,user=…,ssl=true,sslHost=…,db=0,connectTimeout=5000,commandTimeout=5000,name=…</c>
/// (keys case-insensitive, times in milliseconds, values may not contain commas). <see cref="ToString"/> prints
/// the same form with the password replaced by <c>*****</c>; no message of this client ever contains the password.
/// </summary>
public sealed class RedisConnectionOptions
{
    /// <summary>The default value for <see cref="Port"/>.</summary>
    public const int DefaultPort = 6379;

    /// <summary>The default value for <see cref="ConnectTimeout"/>, in milliseconds.</summary>
    public const int DefaultConnectTimeoutMilliseconds = 5000;

    /// <summary>The default value for <see cref="CommandTimeout"/>, in milliseconds.</summary>
    public const int DefaultCommandTimeoutMilliseconds = 5000;

    /// <summary>The default value for <see cref="ReconnectBaseDelay"/>, in milliseconds.</summary>
    public const int DefaultReconnectBaseDelayMilliseconds = 100;

    /// <summary>The default value for <see cref="ReconnectMaxDelay"/>, in milliseconds.</summary>
    public const int DefaultReconnectMaxDelayMilliseconds = 10_000;

    private const string Redacted = "*****";

    /// <summary>The server's host name or IP address.</summary>
    public string Host { get; set; } = "localhost";

    /// <summary>The server's TCP port (1–65535).</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>The ACL user for <c>AUTH user password</c>; <see langword="null"/> authenticates as the default user.</summary>
    public string? User { get; set; }

    /// <summary>The password (<c>requirepass</c>, or the ACL user's); never printed.</summary>
    public string? Password { get; set; }

    /// <summary>Whether to speak TLS.</summary>
    public bool Ssl { get; set; }

    /// <summary>The name the server's certificate must carry; <see langword="null"/> means <see cref="Host"/>.</summary>
    public string? SslHost { get; set; }

    /// <summary>
    /// Validates the server's certificate when <see cref="Ssl"/> is on; <see langword="null"/> uses the system's
    /// trust store. Not part of the string form.
    /// </summary>
    public RemoteCertificateValidationCallback? CertificateValidation { get; set; }

    /// <summary>The database selected after connecting (0 or more).</summary>
    public int Database { get; set; }

    /// <summary>The name given with <c>CLIENT SETNAME</c> (no spaces); <see langword="null"/> sets none.</summary>
    public string? ClientName { get; set; }

    /// <summary>How long a connection attempt (TCP, TLS, AUTH, SELECT) may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromMilliseconds(DefaultConnectTimeoutMilliseconds);

    /// <summary>How long a command or batch may wait for all of its replies.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMilliseconds(DefaultCommandTimeoutMilliseconds);

    /// <summary>The first delay before reconnecting; each failed attempt doubles it up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectBaseDelay { get; set; } = TimeSpan.FromMilliseconds(DefaultReconnectBaseDelayMilliseconds);

    /// <summary>The cap on the delay between reconnection attempts.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromMilliseconds(DefaultReconnectMaxDelayMilliseconds);

    /// <summary>The endpoint as <c>host:port</c> (IPv6 addresses in brackets); safe to log.</summary>
    public string EndPoint => Host.Contains(':', StringComparison.Ordinal)
        ? $"[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)}"
        : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Parses the string form (see the type's summary).</summary>
    /// <param name="value">For example <c>127.0.0.1:6379,password=secret,db=2</c>.</param>
    /// <returns>The options.</returns>
    /// <exception cref="FormatException">
    /// The string is malformed; the message names the offending key and the allowed values, never a value.
    /// </exception>
    public static RedisConnectionOptions Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var options = new RedisConnectionOptions();
        var sawEndPoint = false;
        foreach (var rawPart in value.Split(','))
        {
            var part = rawPart.Trim();
            if (part.Length == 0)
            {
                continue;
            }

            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                if (sawEndPoint)
                {
                    throw new FormatException("The Redis connection string names more than one endpoint; exactly one host:port is supported.");
                }

                options.SetEndPoint(part);
                sawEndPoint = true;
                continue;
            }

            var key = part[..equals].Trim();
            var text = part[(equals + 1)..].Trim();
            switch (key.ToLowerInvariant())
            {
                case "password":
                    options.Password = text.Length == 0 ? null : text;
                    break;
                case "user":
                    options.User = text.Length == 0 ? null : text;
                    break;
                case "ssl":
                    options.Ssl = ParseBool(key, text);
                    break;
                case "sslhost":
                    options.SslHost = text.Length == 0 ? null : text;
                    break;
                case "db":
                case "defaultdatabase":
                    options.Database = ParseInt(key, text, 0, int.MaxValue);
                    break;
                case "name":
                    options.ClientName = text.Length == 0 ? null : text;
                    break;
                case "connecttimeout":
                    options.ConnectTimeout = TimeSpan.FromMilliseconds(ParseInt(key, text, 1, int.MaxValue));
                    break;
                case "commandtimeout":
                    options.CommandTimeout = TimeSpan.FromMilliseconds(ParseInt(key, text, 1, int.MaxValue));
                    break;
                case "reconnectdelay":
                    options.ReconnectBaseDelay = TimeSpan.FromMilliseconds(ParseInt(key, text, 1, int.MaxValue));
                    break;
                case "reconnectmaxdelay":
                    options.ReconnectMaxDelay = TimeSpan.FromMilliseconds(ParseInt(key, text, 1, int.MaxValue));
                    break;
                default:
                    throw new FormatException(
                        $"Unknown option '{key}' in the Redis connection string (known: password, user, ssl, sslHost, db, name, connectTimeout, commandTimeout, reconnectDelay, reconnectMaxDelay).");
            }
        }

        if (!sawEndPoint)
        {
            throw new FormatException("The Redis connection string has no host:port.");
        }

        options.Validate();
        return options;
    }

    /// <summary>Copies these options (the copy may be changed without affecting this instance).</summary>
    /// <returns>The copy.</returns>
    public RedisConnectionOptions Clone() => (RedisConnectionOptions)MemberwiseClone();

    /// <summary>
    /// Checks every value; the first bad one is reported by name with its allowed range (never its value when it
    /// is a secret).
    /// </summary>
    /// <exception cref="FormatException">A value is out of range.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new FormatException("Redis option 'Host' must not be empty.");
        }

        if (Port is < 1 or > 65535)
        {
            throw new FormatException("Redis option 'Port' must be between 1 and 65535.");
        }

        if (Database < 0)
        {
            throw new FormatException("Redis option 'db' must be 0 or more.");
        }

        if (User is not null && Password is null)
        {
            throw new FormatException("Redis option 'user' needs a 'password' as well.");
        }

        if (ClientName is not null && ClientName.Any(char.IsWhiteSpace))
        {
            throw new FormatException("Redis option 'name' must not contain spaces.");
        }

        CheckPositive(ConnectTimeout, "connectTimeout");
        CheckPositive(CommandTimeout, "commandTimeout");
        CheckPositive(ReconnectBaseDelay, "reconnectDelay");
        CheckPositive(ReconnectMaxDelay, "reconnectMaxDelay");
        if (ReconnectMaxDelay < ReconnectBaseDelay)
        {
            throw new FormatException("Redis option 'reconnectMaxDelay' must be at least 'reconnectDelay'.");
        }
    }

    /// <summary>The string form with the password redacted; options at their defaults are left out.</summary>
    /// <returns>For example <c>127.0.0.1:6379,user=ticker,password=*****,db=2</c>.</returns>
    public override string ToString()
    {
        var text = new StringBuilder(EndPoint);
        if (User is not null)
        {
            text.Append(",user=").Append(User);
        }

        if (Password is not null)
        {
            text.Append(",password=").Append(Redacted);
        }

        if (Ssl)
        {
            text.Append(",ssl=true");
        }

        if (SslHost is not null)
        {
            text.Append(",sslHost=").Append(SslHost);
        }

        if (Database != 0)
        {
            text.Append(",db=").Append(Database.ToString(CultureInfo.InvariantCulture));
        }

        if (ClientName is not null)
        {
            text.Append(",name=").Append(ClientName);
        }

        AppendMilliseconds(text, "connectTimeout", ConnectTimeout, DefaultConnectTimeoutMilliseconds);
        AppendMilliseconds(text, "commandTimeout", CommandTimeout, DefaultCommandTimeoutMilliseconds);
        AppendMilliseconds(text, "reconnectDelay", ReconnectBaseDelay, DefaultReconnectBaseDelayMilliseconds);
        AppendMilliseconds(text, "reconnectMaxDelay", ReconnectMaxDelay, DefaultReconnectMaxDelayMilliseconds);
        return text.ToString();
    }

    private void SetEndPoint(string text)
    {
        string host;
        var portText = default(string);
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException("The Redis endpoint has an unclosed '[' (IPv6 addresses are written [::1]:6379).");
            }

            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    throw new FormatException("The Redis endpoint must be host:port.");
                }

                portText = rest[1..];
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon >= 0 && text.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                // A bare IPv6 address without a port.
                host = text;
            }
            else if (colon >= 0)
            {
                host = text[..colon];
                portText = text[(colon + 1)..];
            }
            else
            {
                host = text;
            }
        }

        Host = host;
        if (portText is not null)
        {
            Port = ParseInt("port", portText, 1, 65535);
        }
    }

    private static bool ParseBool(string key, string text) =>
        bool.TryParse(text, out var value) ? value : throw new FormatException($"Redis option '{key}' must be true or false.");

    private static int ParseInt(string key, string text, int min, int max)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new FormatException($"Redis option '{key}' must be an integer between {min} and {max}.");
        }

        return value;
    }

    private static void CheckPositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue)
        {
            throw new FormatException($"Redis option '{name}' must be between 1 and {int.MaxValue} milliseconds.");
        }
    }

    private static void AppendMilliseconds(StringBuilder text, string key, TimeSpan value, int defaultMilliseconds)
    {
        var milliseconds = (long)value.TotalMilliseconds;
        if (milliseconds != defaultMilliseconds)
        {
            text.Append(',').Append(key).Append('=').Append(milliseconds.ToString(CultureInfo.InvariantCulture));
        }
    }
}
