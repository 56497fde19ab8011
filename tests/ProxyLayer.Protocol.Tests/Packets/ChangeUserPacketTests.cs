using ProxyLayer.Protocol.Packets;
using static ProxyLayer.Protocol.Tests.TestBytes;

namespace ProxyLayer.Protocol.Tests.Packets;

public class ChangeUserPacketTests
{
    private static readonly ChangeUserPacket Packet = new()
    {
        Username = "bob",
        AuthResponse = [0xAA, 0xBB],
        Database = "db",
        CharacterSet = 45,
        AuthPluginName = AuthPlugins.MysqlNativePassword,
    };

    [Fact]
    public void Write_golden_for_a_protocol_41_connection_with_plugin_auth()
    {
        var payload = Build(w => Packet.Write(w, CapabilityFlags.Protocol41 | CapabilityFlags.SecureConnection | CapabilityFlags.PluginAuth));

        Assert.Equal(Hex("11 626F6200 02 AABB 646200 2D00 6D7973716C5F6E61746976655F70617373776F726400"), payload);
    }

    [Fact]
    public void With_connect_attributes_the_block_is_written_even_when_empty()
    {
        var capabilities = CapabilityFlags.Protocol41 | CapabilityFlags.SecureConnection | CapabilityFlags.ConnectAttrs;
        Assert.Equal(Hex("11 626F6200 02 AABB 646200 2D00 00"), Build(w => Packet.Write(w, capabilities)));

        var withAttributes = new ChangeUserPacket { Username = "b", ConnectAttributes = [new("k", "v")] };
        Assert.Equal(Hex("11 6200 00 00 2D00 04 016B 0176"), Build(w => withAttributes.Write(w, capabilities)));
    }

    [Fact]
    public void Without_secure_connection_the_auth_response_is_null_terminated_and_optional_parts_are_left_out()
    {
        var payload = Build(w => Packet.Write(w, CapabilityFlags.None));

        Assert.Equal(Hex("11 626F6200 AABB00 646200"), payload);
    }

    [Fact]
    public void The_sessions_reader_reads_what_is_written()
    {
        var capabilities = CapabilityFlags.Protocol41 | CapabilityFlags.SecureConnection | CapabilityFlags.PluginAuth;
        var payload = Build(w => Packet.Write(w, capabilities));
        var reader = new ProxyLayer.Protocol.Serialization.PayloadReader(payload);

        Assert.Equal(ChangeUserPacket.Command, reader.ReadByte());
        Assert.Equal("bob", reader.ReadNullTerminatedString());
        Assert.Equal(2, reader.ReadByte());
        reader.Skip(2);
        Assert.Equal("db", reader.ReadNullTerminatedString());
        Assert.Equal(45, reader.ReadUInt16());
        Assert.Equal("mysql_native_password", reader.ReadNullTerminatedString());
        Assert.True(reader.IsAtEnd);
    }
}
