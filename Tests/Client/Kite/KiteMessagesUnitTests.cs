using System.Buffers;
using System.Text;
using Ticker.Client.Kite;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Tests.Client.Kite;

public sealed class KiteMessagesUnitTests
{
    [Fact]
    public void Client_messages_have_the_wire_shape()
    {
        Assert.Equal("""{"a":"subscribe","v":[256265,408065]}""", Write(b => KiteMessages.WriteSubscribe(b, [256265, 408065])));
        Assert.Equal("""{"a":"unsubscribe","v":[1]}""", Write(b => KiteMessages.WriteUnsubscribe(b, [1])));
        Assert.Equal("""{"a":"mode","v":["full",[1,2]]}""", Write(b => KiteMessages.WriteMode(b, TickMode.Full, [1, 2])));
        Assert.Equal("""{"a":"mode","v":["ltp",[]]}""", Write(b => KiteMessages.WriteMode(b, TickMode.Ltp, [])));
    }

    [Theory]
    [InlineData("""{"a":"subscribe","v":[1,2,3]}""", KiteAction.Subscribe, (TickMode)0, 3)]
    [InlineData("""{"v":[7],"a":"unsubscribe"}""", KiteAction.Unsubscribe, (TickMode)0, 1)]
    [InlineData("""{"a":"mode","v":["quote",[1,2]]}""", KiteAction.Mode, TickMode.Quote, 2)]
    [InlineData("""{"a":"mode","v":["FULL",[]]}""", KiteAction.Mode, TickMode.Full, 0)]
    [InlineData("""{"a":"mode","v":["slow",[1]]}""", KiteAction.Unknown, (TickMode)0, 0)]
    [InlineData("""{"a":"mode","v":[1,2]}""", KiteAction.Unknown, (TickMode)0, 0)]
    [InlineData("""{"a":"subscribe","v":["x"]}""", KiteAction.Unknown, (TickMode)0, 0)]
    [InlineData("""{"a":"subscribe","v":[-1]}""", KiteAction.Unknown, (TickMode)0, 0)]
    [InlineData("""{"a":"subscribe"}""", KiteAction.Unknown, (TickMode)0, 0)]
    [InlineData("""{"a":"dance","v":[1]}""", KiteAction.Unknown, (TickMode)0, 0)]
    [InlineData("""{"a":"subscribe","v":[1,""", KiteAction.Unknown, (TickMode)0, 0)]
    [InlineData("[1,2]", KiteAction.Unknown, (TickMode)0, 0)]
    [InlineData("", KiteAction.Unknown, (TickMode)0, 0)]
    public void Client_messages_parse_or_are_unknown_never_throw(string json, KiteAction action, TickMode mode, int tokens)
    {
        var list = new List<uint> { 99 };

        var parsed = KiteMessages.ParseClientMessage(Encoding.UTF8.GetBytes(json), list, out var parsedMode);

        Assert.Equal(action, parsed);
        if (action != KiteAction.Unknown)
        {
            Assert.Equal(mode, parsedMode);
            Assert.Equal(tokens, list.Count);
        }
    }

    [Fact]
    public void What_is_written_parses_back()
    {
        uint[] tokens = [256265, 260105, 12345602];
        var list = new List<uint>();

        Assert.Equal(KiteAction.Mode, KiteMessages.ParseClientMessage(Bytes(b => KiteMessages.WriteMode(b, TickMode.Ltp, tokens)), list, out var mode));
        Assert.Equal(TickMode.Ltp, mode);
        Assert.Equal(tokens, list);
        Assert.Equal(KiteAction.Subscribe, KiteMessages.ParseClientMessage(Bytes(b => KiteMessages.WriteSubscribe(b, tokens)), list, out _));
        Assert.Equal(tokens, list);
    }

    [Theory]
    [InlineData("""{"type":"order","data":{"order_id":"1","status":"COMPLETE"}}""", KiteTextMessageType.Order, null)]
    [InlineData("""{"type":"error","data":"Invalid token"}""", KiteTextMessageType.Error, "Invalid token")]
    [InlineData("""{"data":"hello","type":"message"}""", KiteTextMessageType.Message, "hello")]
    [InlineData("""{"type":"instruments_meta","data":{"count":3}}""", KiteTextMessageType.Other, null)]
    [InlineData("""{"type":"error","data":{"nested":[1,2]}}""", KiteTextMessageType.Error, null)]
    [InlineData("""{"type":5,"data":"x"}""", KiteTextMessageType.Malformed, null)]
    [InlineData("""{"data":"no type"}""", KiteTextMessageType.Malformed, null)]
    [InlineData("""{"type":"error","data":"cut""", KiteTextMessageType.Malformed, null)]
    [InlineData("not json", KiteTextMessageType.Malformed, null)]
    [InlineData("", KiteTextMessageType.Malformed, null)]
    public void Server_text_messages_are_classified_never_throw(string json, KiteTextMessageType type, string? data)
    {
        Assert.Equal(type, KiteMessages.ClassifyServerText(Encoding.UTF8.GetBytes(json), out var text));
        Assert.Equal(data, text);
    }

    [Theory]
    [InlineData("ltp", TickMode.Ltp)]
    [InlineData(" Quote ", TickMode.Quote)]
    [InlineData("FULL", TickMode.Full)]
    public void Modes_parse_by_wire_name(string text, TickMode mode)
    {
        Assert.True(KiteMessages.TryParseMode(text, out var parsed));
        Assert.Equal(mode, parsed);
        Assert.Equal(text.Trim().ToLowerInvariant(), KiteMessages.ModeName(mode));
    }

    private static byte[] Bytes(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static string Write(Action<IBufferWriter<byte>> write) => Encoding.UTF8.GetString(Bytes(write));
}
