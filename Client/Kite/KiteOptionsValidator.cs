using System.Globalization;
using Microsoft.Extensions.Options;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Client.Kite;

/// <summary>
/// Validates <see cref="KiteOptions"/> at start-up: every failure names the setting and the allowed range, and
/// every account's access token must resolve (the variable set, the file readable) — without printing it.
/// </summary>
public sealed class KiteOptionsValidator : IValidateOptions<KiteOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, KiteOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || (url.Scheme != "ws" && url.Scheme != "wss"))
        {
            errors.Add($"Kite:Url must be an absolute ws:// or wss:// URL (was '{KiteUrl.Redact(options.Url)}')");
        }

        Range(errors, "Kite:StaleAfter", options.StaleAfter, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
        Range(errors, "Kite:ConnectTimeout", options.ConnectTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5));
        var reconnect = options.Reconnect ?? new KiteReconnectOptions();
        Range(errors, "Kite:Reconnect:InitialDelay", reconnect.InitialDelay, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10));
        Range(errors, "Kite:Reconnect:MaxDelay", reconnect.MaxDelay, reconnect.InitialDelay, TimeSpan.FromHours(1));
        Range(errors, "Kite:Reconnect:MaxAttempts", reconnect.MaxAttempts, 0, 1_000_000);
        if (reconnect.RetryRejectedAfter != TimeSpan.Zero)
        {
            Range(errors, "Kite:Reconnect:RetryRejectedAfter", reconnect.RetryRejectedAfter, KiteReconnectOptions.MinRetryRejectedAfter, TimeSpan.FromDays(1));
        }

        Range(errors, "Kite:OwnershipRenewPeriod", options.OwnershipRenewPeriod, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));

        // Two renewals per lease at least, so one slow or lost renewal does not stop a healthy holder.
        Range(errors, "Kite:OwnershipLease", options.OwnershipLease, options.OwnershipRenewPeriod * 2, TimeSpan.FromMinutes(10));
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Accounts.Count; i++)
        {
            ValidateAccount(errors, $"Kite:Accounts:{i}", options.Accounts[i], keys);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateAccount(List<string> errors, string path, KiteAccountOptions account, HashSet<string> keys)
    {
        if (string.IsNullOrWhiteSpace(account.ApiKey))
        {
            errors.Add($"{path}:ApiKey must not be empty");
        }
        else if (!keys.Add(account.ApiKey))
        {
            errors.Add($"{path}:ApiKey '{account.ApiKey}' is configured twice (Kite allows 3 connections per API key; configure each account once)");
        }

        var sources = (string.IsNullOrEmpty(account.AccessToken) ? 0 : 1)
            + (string.IsNullOrEmpty(account.AccessTokenEnv) ? 0 : 1)
            + (string.IsNullOrEmpty(account.AccessTokenFile) ? 0 : 1);
        if (sources != 1)
        {
            errors.Add($"{path} must set exactly one of AccessToken, AccessTokenEnv and AccessTokenFile (has {sources})");
        }
        else if (!account.TryResolveAccessToken(out _, out var error))
        {
            errors.Add($"{path}: the access token cannot be read: {error}");
        }

        if (account.Instruments.Count == 0 && account.InstrumentFilter is null)
        {
            errors.Add($"{path} must list Instruments or set an InstrumentFilter");
        }

        Range(errors, $"{path}:Instruments (count)", account.Instruments.Count, 0, KiteOptions.MaxInstrumentsPerAccount);
        if (account.Instruments.Contains(0u))
        {
            errors.Add($"{path}:Instruments must not contain token 0");
        }

        if (account.InstrumentFilter is { } filter)
        {
            Range(errors, $"{path}:InstrumentFilter:MaxCount", filter.MaxCount, 1, KiteOptions.MaxInstrumentsPerAccount);
        }

        if (!Enum.IsDefined(account.Mode))
        {
            errors.Add($"{path}:Mode must be one of ltp, quote, full (was {account.Mode})");
        }
    }

    private static void Range<T>(List<string> errors, string name, T value, T min, T max)
        where T : IComparable<T>
    {
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{name} must be between {min} and {max} (was {value})"));
        }
    }
}
