using Ticker.Client.Kite;

namespace Ticker.Tests.Client.Kite;

public sealed class KiteUrlUnitTests
{
    [Theory]
    [InlineData("wss://ws.kite.trade?api_key=abc&access_token=s3cr3t", "wss://ws.kite.trade?api_key=abc&access_token=***")]
    [InlineData("wss://ws.kite.trade/?access_token=s3cr3t&api_key=abc", "wss://ws.kite.trade/?access_token=***&api_key=abc")]
    [InlineData("ws://h/?ACCESS_TOKEN=s3cr3t#frag", "ws://h/?ACCESS_TOKEN=***#frag")]
    [InlineData("connect to wss://x/?api_key=k&access_token=s3cr3t failed: boom", "connect to wss://x/?api_key=k&access_token=*** failed: boom")]
    [InlineData("a ?access_token=one and &access_token=two", "a ?access_token=*** and &access_token=***")]
    [InlineData("?access_token=&x=1", "?access_token=***&x=1")]
    [InlineData("api_secret=abc enctoken=def", "api_secret=*** enctoken=***")]
    [InlineData("wss://ws.kite.trade?api_key=abc", "wss://ws.kite.trade?api_key=abc")]
    [InlineData("my_access_token=keep", "my_access_token=keep")]
    [InlineData("access_token", "access_token")]
    [InlineData("", "")]
    public void Redact_replaces_every_secret_value_and_nothing_else(string input, string expected) =>
        Assert.Equal(expected, KiteUrl.Redact(input));

    [Fact]
    public void Redact_keeps_null() => Assert.Null(KiteUrl.Redact(null));

    [Fact]
    public void Redact_with_the_secret_removes_it_outside_urls_too()
    {
        var text = "token s3cr/et quoted, and escaped s3cr%2Fet, and in ?access_token=s3cr%2Fet";

        var redacted = KiteUrl.Redact(text, "s3cr/et");

        Assert.DoesNotContain("s3cr", redacted, StringComparison.Ordinal);
        Assert.Equal("token *** quoted, and escaped ***, and in ?access_token=***", redacted);
    }

    [Fact]
    public void Build_adds_escaped_credentials_and_keeps_an_existing_query()
    {
        var url = KiteUrl.Build("wss://ws.kite.trade/?x=1", "key", "a+b/c=");

        Assert.Equal("wss://ws.kite.trade/?x=1&api_key=key&access_token=a%2Bb%2Fc%3D", url.ToString());
        Assert.Equal("wss://ws.kite.trade/?x=1&api_key=key&access_token=***", KiteUrl.Redact(url.ToString()));
    }

    [Fact]
    public void Build_refuses_a_relative_url() =>
        Assert.Throws<UriFormatException>(() => KiteUrl.Build("ws.kite.trade", "k", "t"));

    [Fact]
    public void Credentials_and_options_never_print_the_token()
    {
        var credentials = new KiteCredentials("key", "s3cr3t");
        var account = new KiteAccountOptions { ApiKey = "key", AccessToken = "s3cr3t", Instruments = [1] };
        var options = new KiteOptions { Url = "wss://h/?access_token=s3cr3t", Accounts = [account] };

        Assert.DoesNotContain("s3cr3t", credentials.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", account.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("ApiKey=key", options.ToString(), StringComparison.Ordinal);
        Assert.Equal("s3cr3t", credentials.ResolveAccessToken());
    }
}
