using Ticker.Grains.Interfaces.Accounts;
using System.Buffers;
using System.Text;
using System.Text.Json;
using Ticker.Protocol.Redis;

namespace Ticker.Tests.Protocol.Redis;

public sealed class AccountStateJsonUnitTests
{
    private static readonly AccountState Sample = new(
        "kite-a", true, 3, 2, 9000, 123_456_789_012, 4, 1_762_000_000_123_456, 1_762_000_000_223_456, 1_762_000_000_323_456, "host-1", "S127.0.0.1:11111:1");

    [Fact]
    public void Round_trips_every_field_with_the_documented_names()
    {
        var bytes = AccountStateJson.ToUtf8Bytes(Sample);

        Assert.Equal(Sample, AccountStateJson.Parse(bytes));
        using var document = JsonDocument.Parse(bytes);
        Assert.Equal(
            ["account_id", "active", "connections", "connected", "instruments", "ticks", "reconnects", "last_tick_us", "last_heartbeat_us", "updated_at_us", "silo", "silo_address"],
            document.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void An_account_no_silo_streams_has_a_null_silo()
    {
        var nobody = Sample with { Silo = null, SiloAddress = null };
        var bytes = AccountStateJson.ToUtf8Bytes(nobody);

        using var document = JsonDocument.Parse(bytes);
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("silo").ValueKind);
        Assert.Equal(nobody, AccountStateJson.Parse(bytes));
    }

    [Fact]
    public void Write_goes_into_a_callers_writer_as_one_object()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            AccountStateJson.Write(json, Sample);
            AccountStateJson.Write(json, Sample with { AccountId = "kite-b", Active = false });
            json.WriteEndArray();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        var second = document.RootElement[1].GetRawText();
        Assert.Equal(Sample with { AccountId = "kite-b", Active = false }, AccountStateJson.Parse(Encoding.UTF8.GetBytes(second)));
    }

    [Fact]
    public void Reads_fields_in_any_order_ignores_unknown_ones_and_defaults_missing_numbers_to_zero()
    {
        var json = """{"ticks":5,"future":{"nested":[1,2]},"account_id":"x","extra":"y","active":true}"""u8;

        Assert.Equal(new AccountState("x", true, 0, 0, 0, 5, 0, 0, 0, 0), AccountStateJson.Parse(json));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"active\":true}")]
    [InlineData("{\"account_id\":\"\"}")]
    [InlineData("{\"account_id\":\"a\",\"active\":\"yes\"}")]
    [InlineData("{\"account_id\":\"a\",\"ticks\":1.5}")]
    [InlineData("{\"account_id\":\"a\",\"connections\":99999999999}")]
    [InlineData("{\"account_id\":\"a\"")]
    [InlineData("not json")]
    public void Rejects_what_is_not_an_account_state(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);

        Assert.False(AccountStateJson.TryParse(bytes, out var state));
        Assert.Null(state);
        Assert.Throws<FormatException>(() => AccountStateJson.Parse(bytes));
    }
}
