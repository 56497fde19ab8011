using ProxyLayer.Protocol.Packets;
using static ProxyLayer.Protocol.Tests.TestBytes;

namespace ProxyLayer.Protocol.Tests.Packets;

public class OkPacketTests
{
    [Fact]
    public void Minimal_ok_golden_bytes_with_header()
    {
        var payload = Build(w => OkPacket.Write(w, 0, 0, ServerStatusFlags.Autocommit, 0, CapabilityFlags.Protocol41));
        Assert.Equal(Hex("07 00 00 02 00 00 00 02 00 00 00"), Frame(payload, 2));
    }

    [Fact]
    public void Ok_with_info_without_session_track_golden()
    {
        var payload = Build(w => OkPacket.Write(w, 1, 5, ServerStatusFlags.Autocommit, 1, CapabilityFlags.Protocol41, "hi"));
        Assert.Equal(Hex("00 01 05 02 00 01 00 68 69"), payload);
    }

    [Fact]
    public void Ok_with_info_and_session_track_is_length_encoded()
    {
        var payload = Build(w => OkPacket.Write(w, 1, 5, ServerStatusFlags.Autocommit, 1,
            CapabilityFlags.Protocol41 | CapabilityFlags.SessionTrack, "hi"));
        Assert.Equal(Hex("00 01 05 02 00 01 00 02 68 69"), payload);
    }

    [Fact]
    public void Large_counts_use_length_encoding()
    {
        var payload = Build(w => OkPacket.Write(w, 251, 0x10000, ServerStatusFlags.InTransaction, 0, CapabilityFlags.Protocol41));
        Assert.Equal(Hex("00 FC FB 00 FD 00 00 01 01 00 00 00"), payload);
    }

    [Fact]
    public void Write_clears_session_state_changed_because_it_writes_no_changes()
    {
        var payload = Build(w => OkPacket.Write(w, 0, 0, ServerStatusFlags.Autocommit | ServerStatusFlags.SessionStateChanged, 0,
            CapabilityFlags.SessionTrack));
        Assert.Equal(Hex("00 00 00 02 00 00 00"), payload);
    }

    [Fact]
    public void Eof_signature_ok_golden()
    {
        var payload = Build(w => OkPacket.Write(w, 0, 0, ServerStatusFlags.Autocommit, 0, CapabilityFlags.DeprecateEof,
            signature: OkPacket.EofSignature));
        Assert.Equal(Hex("FE 00 00 02 00 00 00"), payload);
        Assert.True(OkPacket.IsOk(payload, CapabilityFlags.DeprecateEof));
        Assert.False(OkPacket.IsOk(payload, CapabilityFlags.Protocol41));
    }

    [Theory]
    [InlineData(CapabilityFlags.Protocol41)]
    [InlineData(CapabilityFlags.Protocol41 | CapabilityFlags.SessionTrack)]
    public void Round_trip(CapabilityFlags capabilities)
    {
        var payload = Build(w => OkPacket.Write(w, 0x1000000, 250, ServerStatusFlags.Autocommit | ServerStatusFlags.InTransaction,
            7, capabilities, "Rows matched: 1"));
        Assert.True(OkPacket.IsOk(payload, capabilities));
        var ok = OkPacket.Read(payload, capabilities);
        Assert.Equal(0x1000000UL, ok.AffectedRows);
        Assert.Equal(250UL, ok.LastInsertId);
        Assert.Equal(ServerStatusFlags.Autocommit | ServerStatusFlags.InTransaction, ok.Status);
        Assert.Equal(7, ok.Warnings);
        Assert.Equal("Rows matched: 1"u8.ToArray(), ok.Info.ToArray());
        Assert.True(ok.SessionStateChanges.IsEmpty);
    }

    [Fact]
    public void Read_session_state_changes()
    {
        // info "" then a change block of 5 bytes: SESSION_TRACK_SCHEMA (1), length 3, "ab" as a lenenc string.
        var payload = Hex("00 00 00 00 40 00 00 00 05 01 03 02 61 62");
        var ok = OkPacket.Read(payload, CapabilityFlags.SessionTrack);
        Assert.Equal(ServerStatusFlags.SessionStateChanged, ok.Status);
        Assert.True(ok.Info.IsEmpty);
        Assert.Equal(Hex("01 03 02 61 62"), ok.SessionStateChanges.ToArray());
    }

    [Fact]
    public void Read_golden_minimal_ok()
    {
        var ok = OkPacket.Read(Hex("00 00 00 02 00 00 00"), CapabilityFlags.Protocol41);
        Assert.Equal(0UL, ok.AffectedRows);
        Assert.Equal(ServerStatusFlags.Autocommit, ok.Status);
        Assert.True(ok.Info.IsEmpty);
    }

    [Theory]
    [InlineData("00 00 00 02 00 00", false)] // too short
    [InlineData("00 00 00 02 00 00 00", true)]
    [InlineData("FF 15 04 23 32 38 30", false)]
    [InlineData("", false)]
    public void IsOk(string hex, bool expected)
    {
        Assert.Equal(expected, OkPacket.IsOk(Hex(hex), CapabilityFlags.DeprecateEof));
    }

    [Fact]
    public void Row_starting_with_FE_of_16MB_is_not_an_ok()
    {
        var row = new byte[ProxyLayer.Protocol.Serialization.PacketHeader.MaxPayloadLength];
        row[0] = 0xFE;
        Assert.False(OkPacket.IsOk(row, CapabilityFlags.DeprecateEof));
    }

    [Theory]
    [InlineData("00")]
    [InlineData("00 00")]
    [InlineData("00 00 00 02")]
    [InlineData("00 00 00 02 00 00")]
    [InlineData("00 FC 01")]
    [InlineData("00 FF 00 02 00 00 00")]
    [InlineData("00 00 00 00 40 00 00 05 61")]
    [InlineData("00 00 00 00 40 00 00 00 05 01")]
    public void Truncated_or_malformed_throws_ProtocolException(string hex)
    {
        var payload = Hex(hex);
        var exception = Record.Exception(() => OkPacket.Read(payload, CapabilityFlags.SessionTrack));
        Assert.IsType<ProtocolException>(exception);
    }
}
