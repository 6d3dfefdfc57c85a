using Microsoft.Extensions.Configuration;
using Ticker.Client.Kite;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Tests.Client.Kite;

public sealed class KiteOptionsValidatorUnitTests
{
    private static readonly KiteOptionsValidator Validator = new();

    [Fact]
    public void Defaults_and_a_plain_account_are_valid()
    {
        Assert.True(Validator.Validate(null, new KiteOptions()).Succeeded);
        Assert.True(Validator.Validate(null, new KiteOptions { Accounts = [Account()] }).Succeeded);
    }

    [Theory]
    [InlineData("http://ws.kite.trade", "Kite:Url must be an absolute ws:// or wss:// URL (was 'http://ws.kite.trade')")]
    [InlineData("ws.kite.trade", "Kite:Url must be an absolute ws:// or wss:// URL (was 'ws.kite.trade')")]
    [InlineData("wss://h/?access_token=s3cr3t&x", "Kite:Url must be an absolute ws:// or wss:// URL (was 'wss://h/?access_token=***&x')")]
    public void A_url_that_is_not_a_websocket_is_refused(string url, string message)
    {
        // The last case is valid; it shows the URL is redacted when printed, so build an invalid one from it.
        var options = new KiteOptions { Url = url.StartsWith("wss://h", StringComparison.Ordinal) ? "ftp" + url[3..] : url };

        var result = Validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(message.Replace("'wss://", "'ftp://", StringComparison.Ordinal), result.Failures);
        Assert.DoesNotContain("s3cr3t", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Durations_out_of_range_name_the_setting_and_the_range()
    {
        var options = new KiteOptions
        {
            StaleAfter = TimeSpan.Zero,
            ConnectTimeout = TimeSpan.FromHours(1),
            Reconnect = new KiteReconnectOptions
            {
                InitialDelay = TimeSpan.FromSeconds(5),
                MaxDelay = TimeSpan.FromSeconds(1),
                MaxAttempts = -1,
                RetryRejectedAfter = TimeSpan.FromSeconds(5),
            },
        };

        var failures = Validator.Validate(null, options).Failures!.ToList();

        Assert.Contains("Kite:StaleAfter must be between 00:00:00.1000000 and 00:10:00 (was 00:00:00)", failures);
        Assert.Contains("Kite:ConnectTimeout must be between 00:00:00.1000000 and 00:05:00 (was 01:00:00)", failures);
        Assert.Contains("Kite:Reconnect:MaxDelay must be between 00:00:05 and 01:00:00 (was 00:00:01)", failures);
        Assert.Contains("Kite:Reconnect:MaxAttempts must be between 0 and 1000000 (was -1)", failures);
        Assert.Contains("Kite:Reconnect:RetryRejectedAfter must be between 00:00:30 and 1.00:00:00 (was 00:00:05)", failures);
    }

    [Fact]
    public void An_ownership_lease_shorter_than_two_renewals_is_refused()
    {
        var options = new KiteOptions { OwnershipRenewPeriod = TimeSpan.FromSeconds(2), OwnershipLease = TimeSpan.FromSeconds(3) };

        var failures = Validator.Validate(null, options).Failures!.ToList();

        Assert.Contains("Kite:OwnershipLease must be between 00:00:04 and 00:10:00 (was 00:00:03)", failures);
        Assert.Contains(
            "Kite:OwnershipRenewPeriod must be between 00:00:00.1000000 and 00:01:00 (was 00:00:00)",
            Validator.Validate(null, new KiteOptions { OwnershipRenewPeriod = TimeSpan.Zero }).Failures!);
    }

    [Fact]
    public void Account_mistakes_are_each_named()
    {
        var missingVariable = "TICKER_TEST_UNSET_" + Guid.NewGuid().ToString("N");
        var options = new KiteOptions
        {
            Accounts =
            [
                Account(a => a.ApiKey = " "),
                Account(a => a.ApiKey = "dup"),
                Account(a => a.ApiKey = "dup"),
                Account(a => { a.ApiKey = "none"; a.AccessToken = null; }),
                Account(a => { a.ApiKey = "two"; a.AccessTokenEnv = "X"; }),
                Account(a => { a.ApiKey = "env"; a.AccessToken = null; a.AccessTokenEnv = missingVariable; }),
                Account(a => { a.ApiKey = "file"; a.AccessToken = null; a.AccessTokenFile = "/nonexistent/kite-token"; }),
                Account(a => { a.ApiKey = "empty"; a.Instruments = []; }),
                Account(a => { a.ApiKey = "many"; a.Instruments = [.. Enumerable.Range(1, 9_001).Select(i => (uint)i)]; }),
                Account(a => { a.ApiKey = "zero"; a.Instruments = [0, 1]; }),
                Account(a => { a.ApiKey = "filter"; a.InstrumentFilter = new KiteInstrumentFilter { MaxCount = 0 }; }),
                Account(a => { a.ApiKey = "mode"; a.Mode = 0; }),
            ],
        };

        var failures = Validator.Validate(null, options).Failures!.ToList();

        Assert.Contains("Kite:Accounts:0:ApiKey must not be empty", failures);
        Assert.Contains(failures, f => f.StartsWith("Kite:Accounts:2:ApiKey 'dup' is configured twice", StringComparison.Ordinal));
        Assert.Contains("Kite:Accounts:3 must set exactly one of AccessToken, AccessTokenEnv and AccessTokenFile (has 0)", failures);
        Assert.Contains("Kite:Accounts:4 must set exactly one of AccessToken, AccessTokenEnv and AccessTokenFile (has 2)", failures);
        Assert.Contains($"Kite:Accounts:5: the access token cannot be read: environment variable {missingVariable} is not set or empty", failures);
        Assert.Contains(failures, f => f.StartsWith("Kite:Accounts:6: the access token cannot be read: file /nonexistent/kite-token cannot be read", StringComparison.Ordinal));
        Assert.Contains("Kite:Accounts:7 must list Instruments or set an InstrumentFilter", failures);
        Assert.Contains("Kite:Accounts:8:Instruments (count) must be between 0 and 9000 (was 9001)", failures);
        Assert.Contains("Kite:Accounts:9:Instruments must not contain token 0", failures);
        Assert.Contains("Kite:Accounts:10:InstrumentFilter:MaxCount must be between 1 and 9000 (was 0)", failures);
        Assert.Contains("Kite:Accounts:11:Mode must be one of ltp, quote, full (was 0)", failures);
        Assert.Equal(11, failures.Count);
        Assert.DoesNotContain(failures, f => f.Contains("tok_value", StringComparison.Ordinal));
    }

    [Fact]
    public void Tokens_come_from_a_variable_or_a_file_trimmed_and_are_read_again_each_time()
    {
        var variable = "TICKER_TEST_TOKEN_" + Guid.NewGuid().ToString("N");
        var file = Path.GetTempFileName();
        try
        {
            Environment.SetEnvironmentVariable(variable, " from_env \n");
            File.WriteAllText(file, "from_file\n");
            var fromEnv = Account(a => { a.AccessToken = null; a.AccessTokenEnv = variable; }).ToCredentials();
            var fromFile = Account(a => { a.AccessToken = null; a.AccessTokenFile = file; }).ToCredentials();

            Assert.Equal("from_env", fromEnv.ResolveAccessToken());
            Assert.Equal("from_file", fromFile.ResolveAccessToken());
            File.WriteAllText(file, "renewed");
            Assert.Equal("renewed", fromFile.ResolveAccessToken());
            Environment.SetEnvironmentVariable(variable, null);
            var error = Assert.Throws<InvalidOperationException>(fromEnv.ResolveAccessToken);
            Assert.Contains(variable, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
            File.Delete(file);
        }
    }

    [Fact]
    public void The_section_binds_from_configuration_with_modes_by_wire_name()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kite:Url"] = "ws://127.0.0.1:8765/",
            ["Kite:StaleAfter"] = "00:00:02",
            ["Kite:Reconnect:MaxDelay"] = "00:00:30",
            ["Kite:Accounts:0:ApiKey"] = "a",
            ["Kite:Accounts:0:AccessTokenEnv"] = "KITE_TOKEN_A",
            ["Kite:Accounts:0:Instruments:0"] = "256265",
            ["Kite:Accounts:0:Instruments:1"] = "260105",
            ["Kite:Accounts:0:Mode"] = "full",
            ["Kite:Accounts:1:ApiKey"] = "b",
            ["Kite:Accounts:1:AccessTokenFile"] = "/run/secrets/kite_b",
            ["Kite:Accounts:1:InstrumentFilter:Underlyings:0"] = "NIFTY",
            ["Kite:Accounts:1:InstrumentFilter:MaxCount"] = "500",
            ["Kite:Accounts:1:Mode"] = "ltp",
        }).Build();

        var options = configuration.GetSection(KiteOptions.SectionName).Get<KiteOptions>()!;

        Assert.Equal(TimeSpan.FromSeconds(2), options.StaleAfter);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Reconnect.MaxDelay);
        Assert.Equal(2, options.Accounts.Count);
        Assert.Equal([256265u, 260105u], options.Accounts[0].Instruments);
        Assert.Equal(TickMode.Full, options.Accounts[0].Mode);
        Assert.Equal(["NIFTY"], options.Accounts[1].InstrumentFilter!.Underlyings);
        Assert.Equal(500, options.Accounts[1].InstrumentFilter!.MaxCount);
        Assert.Equal(TickMode.Ltp, options.Accounts[1].Mode);
        Assert.Equal("file /run/secrets/kite_b", options.Accounts[1].AccessTokenSource);
    }

    private static KiteAccountOptions Account(Action<KiteAccountOptions>? change = null)
    {
        var account = new KiteAccountOptions { ApiKey = "key", AccessToken = "tok_value", Instruments = [256265] };
        change?.Invoke(account);
        return account;
    }
}
