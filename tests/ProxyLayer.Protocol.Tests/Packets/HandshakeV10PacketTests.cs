using ProxyLayer.Protocol.Packets;
using static ProxyLayer.Protocol.Tests.TestBytes;

namespace ProxyLayer.Protocol.Tests.Packets;

public class HandshakeV10PacketTests
{
    private const CapabilityFlags MySqlCapabilities =
        CapabilityFlags.LongPassword | CapabilityFlags.Protocol41 | CapabilityFlags.SecureConnection | CapabilityFlags.PluginAuth;

    private static readonly byte[] ScrambleBytes = Sequential(20, 1);

    private static HandshakeV10Packet Greeting(CapabilityFlags capabilities) => new()
    {
        ServerVersion = "5.7",
        ConnectionId = 1,
        AuthPluginData = ScrambleBytes,
        Capabilities = capabilities,
        CharacterSet = CharacterSets.Utf8Mb4GeneralCi,
        Status = ServerStatusFlags.Autocommit,
    };

    private static string PluginNameHex => Convert.ToHexString("mysql_native_password"u8) + "00";

    [Fact]
    public void Write_golden_mysql()
    {
        var payload = Build(Greeting(MySqlCapabilities).Write);
        var expected = Hex(
            "0A" + "35 2E 37 00" + "01 00 00 00" + "01 02 03 04 05 06 07 08" + "00" +
            "01 82" + // capabilities, low 16 bits: 0x8201
            "2D" + "02 00" +
            "08 00" + // capabilities, high 16 bits: 0x0008 (PluginAuth)
            "15" + // auth data length: 20 + NUL
            "00 00 00 00 00 00" + "00 00 00 00" + // reserved; MariaDB's 4 bytes are zero for a MySQL server
            "09 0A 0B 0C 0D 0E 0F 10 11 12 13 14" + "00" +
            PluginNameHex);
        Assert.Equal(expected, payload);
    }

    [Fact]
    public void Write_golden_mariadb_extended_capabilities_in_the_reserved_bytes()
    {
        var capabilities = (MySqlCapabilities & ~CapabilityFlags.LongPassword) | CapabilityFlags.MariaDbProgress |
            CapabilityFlags.MariaDbStmtBulkOperations;
        var greeting = Greeting(capabilities);
        Assert.True(greeting.IsMariaDbExtended);
        var payload = Build(greeting.Write);
        var expected = Hex(
            "0A" + "35 2E 37 00" + "01 00 00 00" + "01 02 03 04 05 06 07 08" + "00" +
            "00 82" + "2D" + "02 00" + "08 00" + "15" +
            "00 00 00 00 00 00" + "05 00 00 00" + // bits 32 and 34
            "09 0A 0B 0C 0D 0E 0F 10 11 12 13 14" + "00" +
            PluginNameHex);
        Assert.Equal(expected, payload);
    }

    [Fact]
    public void Mysql_server_with_extended_bits_does_not_write_them()
    {
        // With bit 0 set the reserved bytes are MySQL's and must stay zero.
        var payload = Build(Greeting(MySqlCapabilities | CapabilityFlags.MariaDbProgress).Write);
        Assert.Equal(Hex("00 00 00 00"), payload.AsSpan(4 + 4 + 8 + 1 + 2 + 1 + 2 + 2 + 1 + 6, 4).ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Round_trip(bool mariaDb)
    {
        var capabilities = mariaDb
            ? CapabilityFlags.Protocol41 | CapabilityFlags.SecureConnection | CapabilityFlags.PluginAuth | CapabilityFlags.DeprecateEof |
              CapabilityFlags.MariaDbCacheMetadata | CapabilityFlags.MariaDbBulkUnitResults
            : MySqlCapabilities | CapabilityFlags.DeprecateEof | CapabilityFlags.SessionTrack | CapabilityFlags.RememberOptions;
        var greeting = new HandshakeV10Packet
        {
            ServerVersion = mariaDb ? "5.5.5-10.11.6-MariaDB" : "8.0.36",
            ConnectionId = 0xDEADBEEF,
            AuthPluginData = Sequential(20, 0xF0),
            Capabilities = capabilities,
            CharacterSet = CharacterSets.Utf8GeneralCi,
            Status = ServerStatusFlags.Autocommit | ServerStatusFlags.InTransaction,
            AuthPluginName = AuthPlugins.CachingSha2Password,
        };
        var read = HandshakeV10Packet.Read(Build(greeting.Write));
        Assert.Equal(greeting.ServerVersion, read.ServerVersion);
        Assert.Equal(greeting.ConnectionId, read.ConnectionId);
        Assert.Equal(greeting.AuthPluginData, read.AuthPluginData);
        Assert.Equal(capabilities, read.Capabilities);
        Assert.Equal(mariaDb, read.IsMariaDbExtended);
        Assert.Equal(CharacterSets.Utf8GeneralCi, read.CharacterSet);
        Assert.Equal(greeting.Status, read.Status);
        Assert.Equal(AuthPlugins.CachingSha2Password, read.AuthPluginName);
    }

    [Fact]
    public void Read_ignores_reserved_bytes_when_bit_0_is_set()
    {
        var payload = Build(Greeting(MySqlCapabilities).Write);
        payload.AsSpan(4 + 4 + 8 + 1 + 2 + 1 + 2 + 2 + 1 + 6, 4).Fill(0xFF);
        var read = HandshakeV10Packet.Read(payload);
        Assert.Equal(MySqlCapabilities, read.Capabilities);
        Assert.False(read.IsMariaDbExtended);
    }

    [Fact]
    public void Read_real_mariadb_greeting_layout()
    {
        // As a MariaDB 10.x server sends it: "5.5.5-" version prefix, CLIENT_MYSQL unset, extended caps 0x1D.
        var payload = Hex(
            "0A" + Convert.ToHexString("5.5.5-10.6.0-MariaDB"u8) + "00" + "2A 00 00 00" + "61 62 63 64 65 66 67 68" + "00" +
            "FE F7" + "2D" + "02 00" + "FF 81" + "15" + "00 00 00 00 00 00" + "1D 00 00 00" +
            "69 6A 6B 6C 6D 6E 6F 70 71 72 73 74" + "00" + PluginNameHex);
        var read = HandshakeV10Packet.Read(payload);
        Assert.Equal("5.5.5-10.6.0-MariaDB", read.ServerVersion);
        Assert.Equal(42u, read.ConnectionId);
        Assert.Equal("abcdefghijklmnopqrst"u8.ToArray(), read.AuthPluginData);
        Assert.True(read.IsMariaDbExtended);
        Assert.Equal(0x1D_81FF_F7FEUL, (ulong)read.Capabilities);
        Assert.True(read.Capabilities.HasFlag(CapabilityFlags.MariaDbProgress));
        Assert.False(read.Capabilities.HasFlag(CapabilityFlags.MariaDbComMulti));
        Assert.True(read.Capabilities.HasFlag(CapabilityFlags.MariaDbCacheMetadata));
        Assert.Equal(AuthPlugins.MysqlNativePassword, read.AuthPluginName);
    }

    [Fact]
    public void Read_pre_41_short_greeting()
    {
        // Protocol 10 can end right after the lower capability bytes.
        var payload = Hex("0A 34 2E 31 00 07 00 00 00 01 02 03 04 05 06 07 08 00 00 02");
        var read = HandshakeV10Packet.Read(payload);
        Assert.Equal("4.1", read.ServerVersion);
        Assert.Equal(7u, read.ConnectionId);
        Assert.Equal(Sequential(8, 1), read.AuthPluginData[..8]);
        Assert.Equal(CapabilityFlags.Protocol41, read.Capabilities);
        Assert.Equal(AuthPlugins.MysqlNativePassword, read.AuthPluginName);
    }

    [Fact]
    public void Wrong_protocol_version_throws_ProtocolException()
    {
        var payload = Build(Greeting(MySqlCapabilities).Write);
        payload[0] = 9;
        Assert.Throws<ProtocolException>(() => HandshakeV10Packet.Read(payload));
    }

    [Fact]
    public void Every_truncation_reads_or_throws_ProtocolException()
    {
        var payload = Build(Greeting(MySqlCapabilities).Write);
        for (var length = 0; length <= payload.Length; length++)
        {
            var prefix = payload[..length];
            var exception = Record.Exception(() => HandshakeV10Packet.Read(prefix));
            Assert.True(exception is null or ProtocolException, $"length {length}: {exception}");
        }
    }

    [Fact]
    public void Every_single_byte_corruption_reads_or_throws_ProtocolException()
    {
        var payload = Build(Greeting(MySqlCapabilities | CapabilityFlags.ConnectAttrs).Write);
        foreach (var value in new byte[] { 0x00, 0x01, 0x7F, 0xFB, 0xFC, 0xFE, 0xFF })
        {
            for (var i = 0; i < payload.Length; i++)
            {
                var corrupt = payload.ToArray();
                corrupt[i] = value;
                var exception = Record.Exception(() => HandshakeV10Packet.Read(corrupt));
                Assert.True(exception is null or ProtocolException, $"byte {i} = {value:X2}: {exception}");
            }
        }
    }
}
