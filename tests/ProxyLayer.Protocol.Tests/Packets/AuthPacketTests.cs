using ProxyLayer.Protocol.Packets;
using static ProxyLayer.Protocol.Tests.TestBytes;

namespace ProxyLayer.Protocol.Tests.Packets;

public class AuthSwitchRequestPacketTests
{
    [Fact]
    public void Write_golden()
    {
        var packet = new AuthSwitchRequestPacket { PluginName = AuthPlugins.MysqlNativePassword, PluginData = Sequential(20, 1) };
        var payload = Build(packet.Write);
        var expected = Hex("FE").Concat("mysql_native_password"u8.ToArray()).Concat(Hex("00")).Concat(Sequential(20, 1))
            .Concat(Hex("00")).ToArray();
        Assert.Equal(expected, payload);
    }

    [Fact]
    public void Round_trip()
    {
        var packet = new AuthSwitchRequestPacket { PluginName = AuthPlugins.CachingSha2Password, PluginData = Sequential(20, 0xE0) };
        var payload = Build(packet.Write);
        Assert.True(AuthSwitchRequestPacket.IsAuthSwitchRequest(payload));
        var read = AuthSwitchRequestPacket.Read(payload);
        Assert.Equal(AuthPlugins.CachingSha2Password, read.PluginName);
        Assert.Equal(packet.PluginData, read.PluginData);
    }

    [Fact]
    public void Bare_signature_is_the_old_password_switch()
    {
        var read = AuthSwitchRequestPacket.Read(Hex("FE"));
        Assert.Equal(AuthPlugins.MysqlOldPassword, read.PluginName);
        Assert.Empty(read.PluginData);
    }

    [Fact]
    public void Data_without_trailing_nul_is_kept_whole()
    {
        var read = AuthSwitchRequestPacket.Read(Hex("FE 61 00 01 02"));
        Assert.Equal("a", read.PluginName);
        Assert.Equal(Hex("01 02"), read.PluginData);
    }

    [Fact]
    public void Empty_is_not_a_switch()
    {
        Assert.False(AuthSwitchRequestPacket.IsAuthSwitchRequest([]));
        Assert.False(AuthSwitchRequestPacket.IsAuthSwitchRequest(Hex("00")));
        Assert.Throws<ProtocolException>(() => AuthSwitchRequestPacket.Read([]));
    }
}

public class AuthMoreDataPacketTests
{
    [Fact]
    public void Fast_auth_success()
    {
        var payload = Hex("01 03");
        Assert.True(AuthMoreDataPacket.IsAuthMoreData(payload));
        Assert.Equal(new byte[] { ProxyLayer.Protocol.Auth.CachingSha2Password.FastAuthSuccess }, AuthMoreDataPacket.ReadData(payload).ToArray());
    }

    [Fact]
    public void Not_auth_more_data()
    {
        Assert.False(AuthMoreDataPacket.IsAuthMoreData([]));
        Assert.False(AuthMoreDataPacket.IsAuthMoreData(Hex("00 00 00 02 00 00 00")));
    }
}

public class LocalInfileRequestPacketTests
{
    [Fact]
    public void Detects_request()
    {
        Assert.True(LocalInfileRequestPacket.IsLocalInfileRequest(Hex("FB 2F 74 6D 70")));
        Assert.False(LocalInfileRequestPacket.IsLocalInfileRequest([]));
        Assert.False(LocalInfileRequestPacket.IsLocalInfileRequest(Hex("01")));
    }
}

public class AuthSwitchRequestEd25519Tests
{
    [Fact]
    public void Ed25519_switch_carries_exactly_the_nonce_and_reads_back_raw_even_when_it_ends_in_nul()
    {
        var nonce = new byte[32];
        nonce[0] = 7; // ends in NUL, as 1 in 256 random nonces do
        var payload = Build(new AuthSwitchRequestPacket { PluginName = "client_ed25519", PluginData = nonce, NulTerminated = false }.Write);

        Assert.Equal(1 + "client_ed25519".Length + 1 + 32, payload.Length);
        var read = AuthSwitchRequestPacket.Read(payload);
        Assert.Equal(nonce, read.RawPluginData);
        Assert.Equal(31, read.PluginData.Length);
    }
}
