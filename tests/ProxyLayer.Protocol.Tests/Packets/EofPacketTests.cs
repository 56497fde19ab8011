using ProxyLayer.Protocol.Packets;
using static ProxyLayer.Protocol.Tests.TestBytes;

namespace ProxyLayer.Protocol.Tests.Packets;

public class EofPacketTests
{
    [Fact]
    public void Write_golden()
    {
        var payload = Build(w => EofPacket.Write(w, ServerStatusFlags.Autocommit | ServerStatusFlags.MoreResultsExist, 3));
        Assert.Equal(Hex("FE 03 00 0A 00"), payload);
        Assert.Equal(Hex("05 00 00 04 FE 03 00 0A 00"), Frame(payload, 4));
    }

    [Fact]
    public void Round_trip()
    {
        var payload = Build(w => EofPacket.Write(w, ServerStatusFlags.InTransaction, 65535));
        Assert.True(EofPacket.IsEof(payload));
        var eof = EofPacket.Read(payload);
        Assert.Equal(65535, eof.Warnings);
        Assert.Equal(ServerStatusFlags.InTransaction, eof.Status);
    }

    [Theory]
    [InlineData("FE", true)]
    [InlineData("FE 00 00 02 00", true)]
    [InlineData("FE 00 00 02 00 00 00 00", true)]
    [InlineData("FE 00 00 02 00 00 00 00 00", false)] // 9 bytes: a row whose first value is 8-byte length encoded
    [InlineData("00 00 00 02 00", false)]
    [InlineData("", false)]
    public void IsEof(string hex, bool expected)
    {
        Assert.Equal(expected, EofPacket.IsEof(Hex(hex)));
    }

    [Fact]
    public void Short_pre_41_eof_reads_as_default()
    {
        var eof = EofPacket.Read(Hex("FE"));
        Assert.Equal(0, eof.Warnings);
        Assert.Equal(ServerStatusFlags.None, eof.Status);
    }
}
