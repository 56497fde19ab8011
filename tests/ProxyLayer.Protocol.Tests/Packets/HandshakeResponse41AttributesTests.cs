using ProxyLayer.Protocol.Packets;
using static ProxyLayer.Protocol.Tests.TestBytes;

namespace ProxyLayer.Protocol.Tests.Packets;

/// <summary>
/// Connect attributes whose lengths lie are malformed, whether the block overruns the packet (MariaDB's own rule) or
/// a pair overruns the block (MariaDB ignores the attributes then; the proxy refuses, as its issue 15 asks).
/// </summary>
public class HandshakeResponse41AttributesTests
{
    private const CapabilityFlags Capabilities = CapabilityFlags.LongPassword | CapabilityFlags.Protocol41 | CapabilityFlags.SecureConnection |
        CapabilityFlags.PluginAuth | CapabilityFlags.ConnectAttrs;

    private static byte[] ResponseWithAttributes(string attributesHex) =>
        [.. Build(new HandshakeResponse41Packet { Capabilities = Capabilities, Username = "u", AuthPluginName = "mysql_native_password" }.Write)
            .SkipLast(1), .. Hex(attributesHex)]; // the writer's own (empty) block replaced

    [Theory]
    [InlineData("40 01 61 02 62 63")]
    [InlineData("05 01 61 09 62 63")]
    public void Lying_lengths_are_malformed(string attributesHex) =>
        Assert.Throws<ProtocolException>(() => HandshakeResponse41Packet.Read(ResponseWithAttributes(attributesHex)));

    [Fact]
    public void Well_formed_block_is_read()
    {
        var read = HandshakeResponse41Packet.Read(ResponseWithAttributes("05 01 61 02 62 63"));
        Assert.Equal("a", Assert.Single(read.ConnectAttributes).Key);
        Assert.Equal("bc", read.ConnectAttributes[0].Value);
    }
}
