using Ticker.Protocol.Resp;
using Ticker.Tests.Infrastructure;

namespace Ticker.Tests.Protocol.Resp;

[Collection(RedisServerCollection.Name)]
public sealed class RedisStreamsIntegrationTests(RedisServerFixture server) : IAsyncLifetime
{
    private RedisConnection _connection = null!;

    public async Task InitializeAsync()
    {
        await server.FlushAllAsync();
        _connection = await RedisConnection.ConnectAsync(server.ConnectionString);
    }

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task Xadd_xreadgroup_xack_round_trip_binary_payloads_through_the_reader()
    {
        await _connection.ExecuteAsync("XGROUP", "CREATE", "ticks:0", "silo", "$", "MKSTREAM");
        var random = new Random(11);
        var payloads = Enumerable.Range(0, 200).Select(i =>
        {
            var bytes = new byte[16 + (i * 7)];
            random.NextBytes(bytes);
            bytes[0] = 13;
            bytes[1] = 10;
            bytes[2] = 0;
            return bytes;
        }).ToArray();

        using var batch = new RedisBatch();
        foreach (var payload in payloads)
        {
            batch.BeginCommand(8);
            batch.Arg(RespLiterals.XADD);
            batch.Arg("ticks:0");
            batch.Arg(RespLiterals.MAXLEN);
            batch.Arg(RespLiterals.Tilde);
            batch.Arg(100_000);
            batch.Arg(RespLiterals.Star);
            batch.Arg("t"u8);
            batch.Arg(payload);
        }

        var added = new IdCollector();
        await _connection.ExecuteAsync(batch, added);

        batch.BeginCommand(11);
        batch.Arg(RespLiterals.XREADGROUP);
        batch.Arg(RespLiterals.GROUP);
        batch.Arg("silo");
        batch.Arg("worker-1");
        batch.Arg(RespLiterals.COUNT);
        batch.Arg(1000);
        batch.Arg(RespLiterals.BLOCK);
        batch.Arg(1000);
        batch.Arg(RespLiterals.STREAMS);
        batch.Arg("ticks:0");
        batch.Arg(RespLiterals.GreaterThan);
        batch.BeginCommand(1); // Prove replies after a big one still line up.
        batch.Arg(RespLiterals.PING);
        var read = new EntryCollector();
        await _connection.ExecuteAsync(batch, read, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal(added.Ids, read.Ids);
        Assert.Equal(payloads, read.Payloads);
        Assert.True(read.SawPong);

        batch.BeginCommand(3 + read.Ids.Count);
        batch.Arg(RespLiterals.XACK);
        batch.Arg("ticks:0");
        batch.Arg("silo");
        foreach (var id in read.Ids)
        {
            batch.Arg(id);
        }

        var acked = new IdCollector();
        await _connection.ExecuteAsync(batch, acked);

        Assert.Equal(payloads.Length, acked.Count);
        var pending = await _connection.ExecuteAsync("XPENDING", "ticks:0", "silo");
        Assert.Equal(0, pending[0].AsInt64());
    }

    [Fact]
    public async Task Xreadgroup_with_nothing_new_returns_nil()
    {
        await _connection.ExecuteAsync("XGROUP", "CREATE", "ticks:1", "silo", "$", "MKSTREAM");

        var reply = await _connection.ExecuteAsync("XREADGROUP", "GROUP", "silo", "w", "COUNT", 10, "BLOCK", 10, "STREAMS", "ticks:1", ">");

        Assert.True(reply.IsNull);
    }

    [Fact]
    public async Task Busygroup_is_a_server_error_code()
    {
        await _connection.ExecuteAsync("XGROUP", "CREATE", "ticks:2", "silo", "$", "MKSTREAM");

        var error = await Assert.ThrowsAsync<RedisServerException>(async () =>
            await _connection.ExecuteAsync("XGROUP", "CREATE", "ticks:2", "silo", "$", "MKSTREAM"));

        Assert.Equal("BUSYGROUP", error.ErrorCode);
    }

    /// <summary>Collects XADD ids (bulk strings) or counts XACK integers.</summary>
    private sealed class IdCollector : IRespReplyHandler
    {
        public List<byte[]> Ids { get; } = [];

        public long Count { get; private set; }

        public void OnReply(int index, RespReader reply)
        {
            reply.Read();
            reply.ThrowIfError();
            if (reply.Type == RespType.Integer)
            {
                Count += reply.Integer;
            }
            else
            {
                Ids.Add(reply.Value.ToArray());
            }
        }
    }

    /// <summary>Walks an XREADGROUP reply with the span reader: [[stream, [[id, [field, value, ...]], ...]]].</summary>
    private sealed class EntryCollector : IRespReplyHandler
    {
        public List<byte[]> Ids { get; } = [];

        public List<byte[]> Payloads { get; } = [];

        public bool SawPong { get; private set; }

        public void OnReply(int index, RespReader reply)
        {
            if (index == 1)
            {
                reply.Read();
                SawPong = reply.ValueEquals(RespLiterals.PONG);
                return;
            }

            var streams = reply.ReadArrayLength();
            for (var s = 0; s < streams; s++)
            {
                Assert.Equal(2, reply.ReadArrayLength());
                Assert.True(reply.ReadBulkString().SequenceEqual("ticks:0"u8));
                var entries = reply.ReadArrayLength();
                for (var e = 0; e < entries; e++)
                {
                    Assert.Equal(2, reply.ReadArrayLength());
                    Ids.Add(reply.ReadBulkString().ToArray());
                    var fields = reply.ReadArrayLength();
                    for (var f = 0; f < fields; f += 2)
                    {
                        Assert.True(reply.ReadBulkString().SequenceEqual("t"u8));
                        Payloads.Add(reply.ReadBulkString().ToArray());
                    }
                }
            }
        }
    }
}
