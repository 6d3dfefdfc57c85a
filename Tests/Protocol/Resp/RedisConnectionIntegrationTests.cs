using System.Text;
using Ticker.Protocol.Resp;
using Ticker.Tests.Infrastructure;

namespace Ticker.Tests.Protocol.Resp;

[Collection(RedisServerCollection.Name)]
public sealed class RedisConnectionIntegrationTests(RedisServerFixture server) : IAsyncLifetime
{
    private RedisConnection _connection = null!;

    public async Task InitializeAsync()
    {
        await server.FlushAllAsync();
        _connection = await RedisConnection.ConnectAsync(server.ConnectionString);
    }

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task Pipelined_batch_of_ten_thousand_commands_gets_every_reply_in_order()
    {
        const int count = 10_000;
        using var batch = new RedisBatch();
        for (var i = 0; i < count; i++)
        {
            batch.BeginCommand(3);
            batch.Arg(RespLiterals.SET);
            batch.Arg($"bulk:{i}");
            batch.Arg(i * 3L);
        }

        await _connection.ExecuteAsync(batch);
        Assert.Equal(0, batch.CommandCount);

        for (var i = 0; i < count; i++)
        {
            batch.BeginCommand(2);
            batch.Arg(RespLiterals.GET);
            batch.Arg($"bulk:{i}");
        }

        var handler = new IntegerBulkHandler(count);
        await _connection.ExecuteAsync(batch, handler);

        Assert.Equal(count, handler.Received);
        Assert.All(Enumerable.Range(0, count), i => Assert.Equal(i * 3L, handler.Values[i]));
    }

    [Fact]
    public async Task Concurrent_batches_share_the_connection_and_each_gets_its_own_replies()
    {
        var tasks = Enumerable.Range(0, 16).Select(async worker =>
        {
            using var batch = new RedisBatch();
            for (var round = 0; round < 20; round++)
            {
                for (var i = 0; i < 100; i++)
                {
                    batch.BeginCommand(2);
                    batch.Arg("INCR"u8);
                    batch.Arg($"counter:{worker}");
                }

                var handler = new IntegerBulkHandler(100);
                await _connection.ExecuteAsync(batch, handler);
                Assert.Equal(Enumerable.Range((round * 100) + 1, 100).Select(v => (long)v), handler.Values);
            }
        });

        await Task.WhenAll(tasks);
    }

    [Fact]
    public async Task Every_reply_type_comes_back_as_a_result_tree()
    {
        var ok = await _connection.ExecuteAsync("SET", "k", "v");
        var missing = await _connection.ExecuteAsync("GET", "nope");
        var bulk = await _connection.ExecuteAsync("GET", "k");
        var integer = await _connection.ExecuteAsync("INCRBY", "n", 41L);
        await _connection.ExecuteAsync("RPUSH", "list", "a", new byte[] { 0, 255 }, 3);
        var array = await _connection.ExecuteAsync("LRANGE", "list", 0, -1);
        var empty = await _connection.ExecuteAsync("LRANGE", "none", 0, -1);
        var nilArray = await _connection.ExecuteAsync("BLPOP", "none", 0.01);
        var nested = await _connection.ExecuteAsync("EVAL", "return {1, 'two', {3, redis.error_reply('INNER oops')}}", 0);

        Assert.Equal((RespType.SimpleString, "OK"), (ok.Type, ok.AsString()));
        Assert.Equal(RespType.BulkString, missing.Type);
        Assert.True(missing.IsNull);
        Assert.Equal("v", bulk.AsString());
        Assert.Equal((RespType.Integer, 41L), (integer.Type, integer.AsInt64()));
        Assert.Equal(3, array.Count);
        Assert.Equal(new byte[] { 0, 255 }, array[1].AsBytes());
        Assert.Equal(3, array[2].AsInt64());
        Assert.Equal(RespType.Array, empty.Type);
        Assert.Equal(0, empty.Count);
        Assert.False(empty.IsNull);
        Assert.Equal(RespType.Array, nilArray.Type);
        Assert.True(nilArray.IsNull);
        Assert.Equal(1, nested[0].AsInt64());
        Assert.Equal("two", nested[1].AsString());
        Assert.Equal(3, nested[2][0].AsInt64());
        Assert.True(nested[2][1].IsError);
        Assert.Equal("INNER oops", nested[2][1].AsString());
    }

    [Fact]
    public async Task Doubles_survive_a_round_trip_through_the_server()
    {
        await _connection.ExecuteAsync("ZADD", "z", double.PositiveInfinity, "top", -0.1, "low", 24150.05, "mid");

        var scores = await _connection.ExecuteAsync("ZRANGE", "z", 0, -1, "WITHSCORES");

        Assert.Equal(new[] { "low", "mid", "top" }, new[] { scores[0].AsString(), scores[2].AsString(), scores[4].AsString() });
        Assert.Equal(new[] { -0.1, 24150.05, double.PositiveInfinity }, new[] { scores[1].AsDouble(), scores[3].AsDouble(), scores[5].AsDouble() });
    }

    [Fact]
    public async Task Server_error_surfaces_with_the_servers_message()
    {
        await _connection.ExecuteAsync("SET", "s", "text");

        var error = await Assert.ThrowsAsync<RedisServerException>(async () => await _connection.ExecuteAsync("LPUSH", "s", "x"));

        Assert.StartsWith("WRONGTYPE", error.Message, StringComparison.Ordinal);
        Assert.Equal("WRONGTYPE", error.ErrorCode);
    }

    [Fact]
    public async Task Batch_without_handler_reports_the_first_error_and_the_count_after_all_replies()
    {
        await _connection.ExecuteAsync("SET", "s", "text");
        using var batch = new RedisBatch();
        batch.BeginCommand(3);
        batch.Arg(RespLiterals.SET);
        batch.Arg("before");
        batch.Arg(1);
        batch.BeginCommand(3);
        batch.Arg("LPUSH"u8);
        batch.Arg("s");
        batch.Arg("x");
        batch.BeginCommand(2);
        batch.Arg("NOSUCHCOMMAND"u8);
        batch.Arg("x");
        batch.BeginCommand(3);
        batch.Arg(RespLiterals.SET);
        batch.Arg("after");
        batch.Arg(2);

        var error = await Assert.ThrowsAsync<RedisServerException>(async () => await _connection.ExecuteAsync(batch));

        Assert.StartsWith("WRONGTYPE", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.ErrorCount);
        Assert.Equal("2", (await _connection.ExecuteAsync("GET", "after")).AsString());
    }

    [Fact]
    public async Task Handler_sees_error_replies_in_place()
    {
        await _connection.ExecuteAsync("SET", "s", "text");
        using var batch = new RedisBatch();
        batch.BeginCommand(2);
        batch.Arg("INCR"u8);
        batch.Arg("s");
        batch.BeginCommand(1);
        batch.Arg(RespLiterals.PING);
        var handler = new TypeRecorder();

        await _connection.ExecuteAsync(batch, handler);

        Assert.Equal([RespType.Error, RespType.SimpleString], handler.Types);
    }

    [Fact]
    public async Task Handler_exception_is_rethrown_after_the_remaining_replies()
    {
        using var batch = new RedisBatch();
        for (var i = 0; i < 3; i++)
        {
            batch.BeginCommand(1);
            batch.Arg(RespLiterals.PING);
        }

        var handler = new ThrowingHandler();

        await Assert.ThrowsAsync<InvalidDataException>(async () => await _connection.ExecuteAsync(batch, handler));
        Assert.Equal(3, handler.Calls);
        Assert.Equal("PONG", (await _connection.ExecuteAsync("PING")).AsString());
    }

    [Fact]
    public async Task Select_isolates_databases()
    {
        var options = RedisConnectionOptions.Parse(server.ConnectionString + ",db=3");
        await using var db3 = await RedisConnection.ConnectAsync(options);

        await db3.ExecuteAsync("SET", "where", "three");

        Assert.Equal("three", (await db3.ExecuteAsync("GET", "where")).AsString());
        Assert.True((await _connection.ExecuteAsync("GET", "where")).IsNull);
    }

    [Fact]
    public async Task Select_of_a_database_the_server_lacks_is_a_connection_error()
    {
        var options = RedisConnectionOptions.Parse(server.ConnectionString + ",db=999");

        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => RedisConnection.ConnectAsync(options));

        Assert.Contains("SELECT 999", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_timeout_fails_the_command_and_the_late_reply_is_discarded()
    {
        var options = RedisConnectionOptions.Parse(server.ConnectionString + ",commandTimeout=200");
        await using var connection = await RedisConnection.ConnectAsync(options);

        // BLPOP on an empty list answers after 1 s, long after the 200 ms timeout.
        var error = await Assert.ThrowsAsync<RedisTimeoutException>(async () => await connection.ExecuteAsync("BLPOP", "empty", 1));
        Assert.Contains("200 ms", error.Message, StringComparison.Ordinal);

        // The next command is queued behind the late nil reply, which must not be taken for its answer
        // (it waits for the BLPOP like everything behind it, so it gets a timeout of its own).
        using var batch = new RedisBatch();
        batch.BeginCommand(2);
        batch.Arg("ECHO"u8);
        batch.Arg("after");
        var handler = new TextRecorder();
        await connection.ExecuteAsync(batch, handler, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal(["after"], handler.Texts);
        Assert.True(connection.IsConnected);
    }

    [Fact]
    public async Task Blocking_command_can_have_a_longer_timeout_of_its_own()
    {
        var options = RedisConnectionOptions.Parse(server.ConnectionString + ",commandTimeout=100");
        await using var connection = await RedisConnection.ConnectAsync(options);
        using var batch = new RedisBatch();
        batch.BeginCommand(3);
        batch.Arg("BLPOP"u8);
        batch.Arg("empty");
        batch.Arg(0.5);
        var handler = new TypeRecorder();

        await connection.ExecuteAsync(batch, handler, TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Equal([RespType.Array], handler.Types);
    }

    [Fact]
    public async Task Cancellation_stops_waiting_and_the_connection_stays_usable()
    {
        using var cancel = new CancellationTokenSource();
        var blocked = _connection.ExecuteAsync(new object[] { "BLPOP", "empty", 1 }, cancel.Token);

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await blocked);
        Assert.Equal("x", (await _connection.ExecuteAsync("ECHO", "x")).AsString());
    }

    [Fact]
    public async Task Abandoned_batches_drain_their_replies_and_never_leak_into_later_ones()
    {
        using var abandoned = new RedisBatch();
        using var checkedBatch = new RedisBatch();
        for (var round = 0; round < 100; round++)
        {
            for (var i = 0; i < 500; i++)
            {
                abandoned.BeginCommand(2);
                abandoned.Arg("ECHO"u8);
                abandoned.Arg("ghost");
            }

            using var cancel = new CancellationTokenSource();
            var ghost = _connection.ExecuteAsync(abandoned, new TypeRecorder(), cancel.Token);
            cancel.Cancel();

            checkedBatch.BeginCommand(2);
            checkedBatch.Arg("ECHO"u8);
            checkedBatch.Arg(round);
            var handler = new IntegerBulkHandler(1);
            await _connection.ExecuteAsync(checkedBatch, handler);

            Assert.Equal(round, handler.Values[0]);
            try
            {
                await ghost;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    [Fact]
    public async Task Lua_scripts_run_through_eval_and_evalsha()
    {
        const string script = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";
        await _connection.ExecuteAsync("SET", "lease", "silo-1", "PX", 10_000);

        var extended = await _connection.ExecuteAsync("EVAL", script, 1, "lease", "silo-1", 20_000);
        var sha = (await _connection.ExecuteAsync("SCRIPT", "LOAD", script)).AsString()!;
        var refused = await _connection.ExecuteAsync("EVALSHA", sha, 1, "lease", "silo-2", 20_000);
        var missing = await Assert.ThrowsAsync<RedisServerException>(async () => await _connection.ExecuteAsync("EVALSHA", new string('0', 40), 0));

        Assert.Equal(1, extended.AsInt64());
        Assert.Equal(0, refused.AsInt64());
        Assert.Equal("NOSCRIPT", missing.ErrorCode);
    }

    [Fact]
    public async Task Hgetall_becomes_a_dictionary()
    {
        await _connection.ExecuteAsync("HSET", "snap:1", "ltp", 101.5, "iv", "0.18", "name", "NIFTY 24000 CE");

        var hash = (await _connection.ExecuteAsync("HGETALL", "snap:1")).ToDictionary();

        Assert.Equal("101.5", hash["ltp"]);
        Assert.Equal("0.18", hash["iv"]);
        Assert.Equal("NIFTY 24000 CE", hash["name"]);
    }

    [Fact]
    public async Task Large_values_cross_buffer_segments_intact()
    {
        var big = new byte[3 * 1024 * 1024];
        new Random(3).NextBytes(big);
        await _connection.ExecuteAsync("SET", "big", big);

        var back = await _connection.ExecuteAsync("GET", "big");

        Assert.Equal(big, back.AsBytes());
    }

    [Fact]
    public async Task Empty_batch_completes_at_once()
    {
        using var batch = new RedisBatch();

        await _connection.ExecuteAsync(batch);

        Assert.True(_connection.IsConnected);
    }

    private sealed class IntegerBulkHandler(int capacity) : IRespReplyHandler
    {
        public long[] Values { get; } = new long[capacity];

        public int Received { get; private set; }

        public void OnReply(int index, RespReader reply)
        {
            reply.Read();
            reply.ThrowIfError();
            Assert.True(reply.TryGetInt64(out var value), Encoding.UTF8.GetString(reply.Value));
            Values[index] = value;
            Received++;
        }
    }

    private sealed class TypeRecorder : IRespReplyHandler
    {
        public List<RespType> Types { get; } = [];

        public void OnReply(int index, RespReader reply)
        {
            reply.Read();
            Types.Add(reply.Type);
        }
    }

    private sealed class TextRecorder : IRespReplyHandler
    {
        public List<string?> Texts { get; } = [];

        public void OnReply(int index, RespReader reply) => Texts.Add(reply.ReadString());
    }

    private sealed class ThrowingHandler : IRespReplyHandler
    {
        public int Calls { get; private set; }

        public void OnReply(int index, RespReader reply)
        {
            Calls++;
            if (index == 0)
            {
                throw new InvalidDataException("handler failed");
            }
        }
    }
}
