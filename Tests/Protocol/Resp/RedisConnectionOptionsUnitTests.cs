using Ticker.Protocol.Resp;

namespace Ticker.Tests.Protocol.Resp;

public sealed class RedisConnectionOptionsUnitTests
{
    [Fact]
    public void Full_string_is_parsed()
    {
        var options = RedisConnectionOptions.Parse(
            "redis.internal:6380,password=s3cret,user=ticker,ssl=true,sslHost=redis.example,db=3,connectTimeout=1500,commandTimeout=250,name=ticker-silo,reconnectDelay=50,reconnectMaxDelay=2000");

        Assert.Equal("redis.internal", options.Host);
        Assert.Equal(6380, options.Port);
        Assert.Equal("s3cret", options.Password);
        Assert.Equal("ticker", options.User);
        Assert.True(options.Ssl);
        Assert.Equal("redis.example", options.SslHost);
        Assert.Equal(3, options.Database);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.CommandTimeout);
        Assert.Equal("ticker-silo", options.ClientName);
        Assert.Equal(TimeSpan.FromMilliseconds(50), options.ReconnectBaseDelay);
        Assert.Equal(TimeSpan.FromMilliseconds(2000), options.ReconnectMaxDelay);
    }

    [Fact]
    public void Defaults_apply_to_what_is_not_given()
    {
        var options = RedisConnectionOptions.Parse("localhost");

        Assert.Equal(RedisConnectionOptions.DefaultPort, options.Port);
        Assert.Null(options.Password);
        Assert.False(options.Ssl);
        Assert.Equal(0, options.Database);
        Assert.Equal(TimeSpan.FromMilliseconds(RedisConnectionOptions.DefaultCommandTimeoutMilliseconds), options.CommandTimeout);
        Assert.Equal("localhost:6379", options.ToString());
    }

    [Theory]
    [InlineData("[::1]:6390", "::1", 6390)]
    [InlineData("[::1]", "::1", 6379)]
    [InlineData("::1", "::1", 6379)]
    [InlineData("127.0.0.1:7000", "127.0.0.1", 7000)]
    [InlineData(" password=x , 10.0.0.5:1 ", "10.0.0.5", 1)]
    public void Endpoints_are_parsed(string text, string host, int port)
    {
        var options = RedisConnectionOptions.Parse(text);

        Assert.Equal(host, options.Host);
        Assert.Equal(port, options.Port);
    }

    [Fact]
    public void ToString_redacts_the_password_and_round_trips_everything_else()
    {
        var options = RedisConnectionOptions.Parse("h:1,user=u,password=hunter2,db=2,commandTimeout=100,ssl=true");

        var text = options.ToString();

        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.Contains("password=*****", text, StringComparison.Ordinal);
        var again = RedisConnectionOptions.Parse(text);
        Assert.Equal(("h", 1, "u", 2, true, TimeSpan.FromMilliseconds(100)), (again.Host, again.Port, again.User, again.Database, again.Ssl, again.CommandTimeout));
    }

    [Theory]
    [InlineData("h:1,pasword=hunter2", "pasword")]
    [InlineData("h:1,db=hunter2", "db")]
    [InlineData("h:1,ssl=hunter2", "ssl")]
    [InlineData("h:1,commandTimeout=0", "commandTimeout")]
    [InlineData("h:99999,password=hunter2", "port")]
    [InlineData("h:1,h2:2,password=hunter2", "endpoint")]
    [InlineData("password=hunter2", "host:port")]
    [InlineData("h:1,user=hunter2", "password")]
    public void Bad_strings_name_the_problem_without_echoing_values(string text, string named)
    {
        var error = Assert.Throws<FormatException>(() => RedisConnectionOptions.Parse(text));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Backoff_doubles_up_to_the_cap_with_jitter_in_the_upper_half()
    {
        var random = new Random(1);
        var baseDelay = TimeSpan.FromMilliseconds(100);
        var maxDelay = TimeSpan.FromSeconds(2);
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var ceiling = Math.Min(2000, 100 * Math.Pow(2, Math.Min(attempt, 30)));
            var delay = RedisReconnector<RedisPhysicalConnection>.Backoff(attempt, baseDelay, maxDelay, random).TotalMilliseconds;

            Assert.InRange(delay, ceiling / 2, ceiling);
        }
    }
}
