using Ticker.Protocol.Resp;
using Ticker.Tests.Infrastructure;

namespace Ticker.Tests.Protocol.Resp;

public sealed class RedisTlsIntegrationTests : IAsyncLifetime
{
    private RedisServerFixture _server = null!;

    public async Task InitializeAsync() =>
        _server = await RedisServerFixture.StartNewAsync(new RedisServerFixtureOptions { Tls = true, RequirePass = "tls-pass" });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Commands_and_batches_work_over_tls_with_a_trusted_certificate()
    {
        await using var connection = await RedisConnection.ConnectAsync(TrustingOptions());
        using var batch = new RedisBatch();
        for (var i = 0; i < 5000; i++)
        {
            batch.BeginCommand(3);
            batch.Arg(RespLiterals.SET);
            batch.Arg($"tls:{i}");
            batch.Arg(i);
        }

        await connection.ExecuteAsync(batch);

        Assert.Equal("4999", (await connection.ExecuteAsync("GET", "tls:4999")).AsString());
        Assert.Equal(5000, (await connection.ExecuteAsync("DBSIZE")).AsInt64());
    }

    [Fact]
    public async Task Subscriber_works_over_tls()
    {
        await using var subscriber = await RedisSubscriber.ConnectAsync(TrustingOptions());
        await using var publisher = await RedisConnection.ConnectAsync(TrustingOptions());
        await subscriber.SubscribeAsync("secure");

        await publisher.ExecuteAsync("PUBLISH", "secure", new byte[] { 1, 2, 3 });
        var message = await subscriber.Messages.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(new byte[] { 1, 2, 3 }, message.Payload);
    }

    [Fact]
    public async Task Untrusted_certificate_is_a_connection_error()
    {
        var options = RedisConnectionOptions.Parse(_server.ConnectionString);

        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => RedisConnection.ConnectAsync(options));

        Assert.DoesNotContain("tls-pass", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_text_client_cannot_talk_to_a_tls_port()
    {
        var options = RedisConnectionOptions.Parse(_server.ConnectionString.Replace(",ssl=true", string.Empty, StringComparison.Ordinal) + ",connectTimeout=1000");

        await Assert.ThrowsAsync<RedisConnectionException>(() => RedisConnection.ConnectAsync(options));
    }

    private RedisConnectionOptions TrustingOptions()
    {
        var options = RedisConnectionOptions.Parse(_server.ConnectionString);
        var expected = _server.TlsCertificate!.Thumbprint;
        options.CertificateValidation = (_, certificate, _, _) =>
            certificate is not null && certificate.GetCertHashString() == expected;
        return options;
    }
}
