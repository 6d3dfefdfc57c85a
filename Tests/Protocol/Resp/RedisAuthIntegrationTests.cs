using Ticker.Protocol.Resp;
using Ticker.Tests.Infrastructure;

namespace Ticker.Tests.Protocol.Resp;

public sealed class RedisAuthIntegrationTests : IAsyncLifetime
{
    private const string Password = "s3cr3t-Pa55word";
    private RedisServerFixture _server = null!;

    public async Task InitializeAsync() =>
        _server = await RedisServerFixture.StartNewAsync(new RedisServerFixtureOptions { RequirePass = Password });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Password_authenticates_the_default_user()
    {
        await using var connection = await RedisConnection.ConnectAsync(_server.ConnectionString);

        Assert.Equal("default", (await connection.ExecuteAsync("ACL", "WHOAMI")).AsString());
    }

    [Fact]
    public async Task Acl_user_authenticates_with_user_and_password()
    {
        await _server.AddAclUserAsync("ticker", "ticker-pass", "~snap:*", "+@all");
        var options = RedisConnectionOptions.Parse($"{RedisServerFixture.Host}:{_server.Port},user=ticker,password=ticker-pass");
        await using var connection = await RedisConnection.ConnectAsync(options);

        Assert.Equal("ticker", (await connection.ExecuteAsync("ACL", "WHOAMI")).AsString());
        await connection.ExecuteAsync("SET", "snap:1", "ok");
        var denied = await Assert.ThrowsAsync<RedisServerException>(async () => await connection.ExecuteAsync("SET", "other", "no"));
        Assert.Equal("NOPERM", denied.ErrorCode);
    }

    [Fact]
    public async Task Wrong_password_is_an_authentication_error_without_the_secret()
    {
        const string wrong = "not-the-Pa55word";
        var options = RedisConnectionOptions.Parse($"{RedisServerFixture.Host}:{_server.Port},password={wrong}");

        var error = await Assert.ThrowsAsync<RedisAuthenticationException>(() => RedisConnection.ConnectAsync(options));

        Assert.Contains("WRONGPASS", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_acl_password_is_an_authentication_error_without_the_secret()
    {
        await _server.AddAclUserAsync("ticker", "right-one");
        var options = RedisConnectionOptions.Parse($"{RedisServerFixture.Host}:{_server.Port},user=ticker,password=wrong-one");

        var error = await Assert.ThrowsAsync<RedisAuthenticationException>(() => RedisConnection.ConnectAsync(options));

        Assert.DoesNotContain("wrong-one", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("right-one", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_password_is_an_authentication_error()
    {
        var options = RedisConnectionOptions.Parse($"{RedisServerFixture.Host}:{_server.Port}");

        var error = await Assert.ThrowsAsync<RedisAuthenticationException>(() => RedisConnection.ConnectAsync(options));

        Assert.Contains("NOAUTH", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscriber_authenticates_too()
    {
        await using var subscriber = await RedisSubscriber.ConnectAsync(RedisConnectionOptions.Parse(_server.ConnectionString));

        Assert.True(subscriber.IsConnected);
        var error = await Assert.ThrowsAsync<RedisAuthenticationException>(() =>
            RedisSubscriber.ConnectAsync(RedisConnectionOptions.Parse($"{RedisServerFixture.Host}:{_server.Port},password=nope-nope")));
        Assert.DoesNotContain("nope-nope", error.ToString(), StringComparison.Ordinal);
    }
}
