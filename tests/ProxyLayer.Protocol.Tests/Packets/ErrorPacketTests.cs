using ProxyLayer.Protocol.Packets;
using static ProxyLayer.Protocol.Tests.TestBytes;

namespace ProxyLayer.Protocol.Tests.Packets;

public class ErrorPacketTests
{
    [Fact]
    public void Write_golden_bytes()
    {
        var payload = Build(w => ErrorPacket.Write(w, ErrorCodes.AccessDenied, "28000", "Denied"));
        // 1045 = 0x0415
        Assert.Equal(Hex("FF 15 04 23 32 38 30 30 30 44 65 6E 69 65 64"), payload);
        Assert.Equal(Hex("0F 00 00 02"), Frame(payload, 2)[..4]);
    }

    [Fact]
    public void Write_from_MySqlError()
    {
        var payload = Build(w => ErrorPacket.Write(w, new MySqlError(1046, "3D000", "No database selected")));
        var error = ErrorPacket.Read(payload);
        Assert.Equal(1046, error.ErrorCode);
        Assert.Equal("3D000", error.SqlStateText);
        Assert.Equal("No database selected", error.MessageText);
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad")]
    [InlineData("123456")]
    public void Write_with_invalid_sql_state_uses_HY000(string sqlState)
    {
        var payload = Build(w => ErrorPacket.Write(w, 9001, sqlState, "x"));
        Assert.Equal(Hex("FF 29 23 23 48 59 30 30 30 78"), payload);
    }

    [Fact]
    public void Read_golden()
    {
        var error = ErrorPacket.Read(Hex("FF 48 04 23 34 32 53 30 32 54 61 62 6C 65"));
        Assert.True(ErrorPacket.IsError(Hex("FF 48 04")));
        Assert.Equal(1096, error.ErrorCode);
        Assert.Equal("42S02", error.SqlStateText);
        Assert.Equal("Table", error.MessageText);
    }

    [Fact]
    public void Read_without_sql_state_marker_defaults_to_HY000()
    {
        var error = ErrorPacket.Read(Hex("FF 15 04 6E 6F"));
        Assert.Equal(1045, error.ErrorCode);
        Assert.Equal("HY000", error.SqlStateText);
        Assert.Equal("no", error.MessageText);
    }

    [Fact]
    public void Read_with_marker_but_short_state_keeps_it_in_the_message()
    {
        var error = ErrorPacket.Read(Hex("FF 15 04 23 41 42"));
        Assert.Equal("HY000", error.SqlStateText);
        Assert.Equal("#AB", error.MessageText);
    }

    [Fact]
    public void Read_with_empty_message()
    {
        var error = ErrorPacket.Read(Hex("FF 15 04"));
        Assert.Equal(1045, error.ErrorCode);
        Assert.Equal("", error.MessageText);
    }

    [Theory]
    [InlineData("FF")]
    [InlineData("FF 15")]
    public void Truncated_throws_ProtocolException(string hex)
    {
        var payload = Hex(hex);
        Assert.False(ErrorPacket.IsError(payload));
        var exception = Record.Exception(() => ErrorPacket.Read(payload));
        Assert.IsType<ProtocolException>(exception);
    }
}
