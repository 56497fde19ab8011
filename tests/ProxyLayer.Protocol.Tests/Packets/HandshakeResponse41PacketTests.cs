using ProxyLayer.Protocol.Packets;
using static ProxyLayer.Protocol.Tests.TestBytes;

namespace ProxyLayer.Protocol.Tests.Packets;

public class HandshakeResponse41PacketTests
{
    private const CapabilityFlags Base = CapabilityFlags.LongPassword | CapabilityFlags.Protocol41;

    private static readonly string Filler23 = string.Concat(Enumerable.Repeat("00", 23));

    [Fact]
    public void Write_golden_secure_connection_with_db_and_plugin()
    {
        var response = new HandshakeResponse41Packet
        {
            Capabilities = Base | CapabilityFlags.SecureConnection | CapabilityFlags.PluginAuth | CapabilityFlags.ConnectWithDb,
            MaxPacketSize = 1 << 24,
            CharacterSet = CharacterSets.Utf8Mb4GeneralCi,
            Username = "root",
            AuthResponse = Hex("AA BB CC"),
            Database = "test",
            AuthPluginName = AuthPlugins.MysqlNativePassword,
        };
        var expected = Hex(
            "09 82 08 00" + // 0x00088209
            "00 00 00 01" + "2D" + Filler23 +
            "72 6F 6F 74 00" + "03 AA BB CC" + "74 65 73 74 00" +
            Convert.ToHexString("mysql_native_password"u8) + "00");
        Assert.Equal(expected, Build(response.Write));
    }

    [Fact]
    public void Write_golden_lenenc_auth_and_connect_attributes()
    {
        var response = new HandshakeResponse41Packet
        {
            Capabilities = Base | CapabilityFlags.SecureConnection | CapabilityFlags.PluginAuthLenencClientData | CapabilityFlags.ConnectAttrs,
            MaxPacketSize = 0xFFFFFF,
            CharacterSet = CharacterSets.Utf8GeneralCi,
            Username = "u",
            AuthResponse = Hex("01 02"),
            ConnectAttributes = [new("_client_name", "x"), new("k", "")],
        };
        // 0x00308201 = LongPassword | Protocol41 | SecureConnection | ConnectAttrs | PluginAuthLenencClientData
        var expected = Hex(
            "01 82 30 00" + "FF FF FF 00" + "21" + Filler23 +
            "75 00" + "02 01 02" +
            "12" + "0C" + Convert.ToHexString("_client_name"u8) + "01 78" + "01 6B" + "00");
        Assert.Equal(expected, Build(response.Write));
    }

    [Fact]
    public void Write_golden_mariadb_extended_capabilities_in_the_last_4_filler_bytes()
    {
        var response = new HandshakeResponse41Packet
        {
            Capabilities = CapabilityFlags.Protocol41 | CapabilityFlags.SecureConnection | CapabilityFlags.MariaDbStmtBulkOperations |
                CapabilityFlags.MariaDbProgress,
            MaxPacketSize = 0,
            CharacterSet = 8,
            Username = "",
        };
        var expected = Hex(
            "00 82 00 00" + "00 00 00 00" + "08" + string.Concat(Enumerable.Repeat("00", 19)) + "05 00 00 00" +
            "00" + "00");
        Assert.Equal(expected, Build(response.Write));
    }

    public static TheoryData<CapabilityFlags> CapabilityCombinations()
    {
        var data = new TheoryData<CapabilityFlags>();
        CapabilityFlags[] auth = [CapabilityFlags.None, CapabilityFlags.SecureConnection,
            CapabilityFlags.SecureConnection | CapabilityFlags.PluginAuthLenencClientData, CapabilityFlags.PluginAuthLenencClientData];
        foreach (var authFlags in auth)
        {
            for (var mask = 0; mask < 8; mask++)
            {
                var flags = Base | authFlags;
                if ((mask & 1) != 0)
                    flags |= CapabilityFlags.ConnectWithDb;
                if ((mask & 2) != 0)
                    flags |= CapabilityFlags.PluginAuth;
                if ((mask & 4) != 0)
                    flags |= CapabilityFlags.ConnectAttrs;
                data.Add(flags);
                // The same client as MariaDB sees it: CLIENT_MYSQL off, extended capabilities on.
                data.Add((flags & ~CapabilityFlags.LongPassword) | CapabilityFlags.MariaDbCacheMetadata | CapabilityFlags.MariaDbComMulti);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CapabilityCombinations))]
    public void Round_trip_over_capability_combinations(CapabilityFlags capabilities)
    {
        var lenenc = (capabilities & CapabilityFlags.PluginAuthLenencClientData) != 0;
        var secure = (capabilities & CapabilityFlags.SecureConnection) != 0;
        // Without either flag the response is NUL-terminated, so it cannot contain a zero byte.
        var authResponse = lenenc ? Sequential(300) : secure ? Sequential(20) : Sequential(20, 1);
        var response = new HandshakeResponse41Packet
        {
            Capabilities = capabilities,
            MaxPacketSize = 0x40000000,
            CharacterSet = CharacterSets.Binary,
            Username = "app_user",
            AuthResponse = authResponse,
            Database = "shop",
            AuthPluginName = AuthPlugins.CachingSha2Password,
            ConnectAttributes = [new("_os", "Linux"), new("program_name", "mysql"), new("long", new string('v', 300))],
        };
        var payload = Build(response.Write);
        Assert.False(HandshakeResponse41Packet.IsSslRequest(payload));

        var read = HandshakeResponse41Packet.Read(payload);
        Assert.Equal(capabilities, read.Capabilities);
        Assert.Equal(0x40000000u, read.MaxPacketSize);
        Assert.Equal(CharacterSets.Binary, read.CharacterSet);
        Assert.Equal("app_user", read.Username);
        Assert.Equal(authResponse, read.AuthResponse);
        Assert.Equal((capabilities & CapabilityFlags.ConnectWithDb) != 0 ? "shop" : null, read.Database);
        Assert.Equal((capabilities & CapabilityFlags.PluginAuth) != 0 ? AuthPlugins.CachingSha2Password : null, read.AuthPluginName);
        if ((capabilities & CapabilityFlags.ConnectAttrs) != 0)
            Assert.Equal(response.ConnectAttributes.Select(a => $"{a.Key}={a.Value}"), read.ConnectAttributes.Select(a => $"{a.Key}={a.Value}"));
        else
            Assert.Empty(read.ConnectAttributes);
    }

    [Fact]
    public void Empty_auth_response_and_empty_database()
    {
        var response = new HandshakeResponse41Packet
        {
            Capabilities = Base | CapabilityFlags.SecureConnection | CapabilityFlags.ConnectWithDb | CapabilityFlags.PluginAuth,
            Username = "nopass",
        };
        var payload = Build(response.Write);
        var read = HandshakeResponse41Packet.Read(payload);
        Assert.Empty(read.AuthResponse);
        Assert.Null(read.Database);
        Assert.Equal(AuthPlugins.MysqlNativePassword, read.AuthPluginName);
    }

    [Fact]
    public void Mysql_client_reserved_bytes_are_ignored_when_bit_0_is_set()
    {
        var response = new HandshakeResponse41Packet { Capabilities = Base | CapabilityFlags.SecureConnection, Username = "a" };
        var payload = Build(response.Write);
        payload.AsSpan(28, 4).Fill(0xFF);
        Assert.Equal(Base | CapabilityFlags.SecureConnection, HandshakeResponse41Packet.Read(payload).Capabilities);
    }

    [Fact]
    public void Optional_trailing_fields_may_be_missing()
    {
        // Flags promise a database, a plugin and attributes, but the payload ends after the auth response.
        var payload = Hex("09 82 18 00" + "00 00 00 01" + "21" + Filler23 + "61 00" + "00");
        var read = HandshakeResponse41Packet.Read(payload);
        Assert.Equal("a", read.Username);
        Assert.Empty(read.AuthResponse);
        Assert.Null(read.Database);
        Assert.Null(read.AuthPluginName);
        Assert.Empty(read.ConnectAttributes);
    }

    [Fact]
    public void Ssl_request_is_detected_by_length_and_flag()
    {
        var request = Build(w => w.WriteUInt32((uint)(Base | CapabilityFlags.SecureConnection | CapabilityFlags.Ssl))
            .WriteUInt32(1 << 24).WriteByte(CharacterSets.Utf8Mb4GeneralCi).WriteZeros(23));
        Assert.Equal(HandshakeResponse41Packet.SslRequestLength, request.Length);
        Assert.Equal(Hex("01 8A 00 00 00 00 00 01 2D" + Filler23), request);
        Assert.True(HandshakeResponse41Packet.IsSslRequest(request));

        var withoutSsl = request.ToArray();
        withoutSsl[1] &= 0xF7;
        Assert.False(HandshakeResponse41Packet.IsSslRequest(withoutSsl));

        Assert.False(HandshakeResponse41Packet.IsSslRequest([.. request, 0x00]));
        Assert.False(HandshakeResponse41Packet.IsSslRequest(request.AsSpan(0, 31)));

        // The full response that follows TLS carries the SSL flag too but is longer.
        var full = Build(new HandshakeResponse41Packet
        {
            Capabilities = Base | CapabilityFlags.SecureConnection | CapabilityFlags.Ssl,
            Username = "root",
        }.Write);
        Assert.False(HandshakeResponse41Packet.IsSslRequest(full));
    }

    [Fact]
    public void Ssl_request_is_the_responses_first_32_bytes()
    {
        var response = new HandshakeResponse41Packet
        {
            // MariaDB extended capabilities travel in the last 4 bytes when CLIENT_MYSQL (LongPassword) is clear.
            Capabilities = CapabilityFlags.Protocol41 | CapabilityFlags.SecureConnection | CapabilityFlags.Ssl |
                           CapabilityFlags.Compress | CapabilityFlags.MariaDbExtendedTypeInfo,
            MaxPacketSize = 1 << 30,
            CharacterSet = CharacterSets.Utf8Mb4GeneralCi,
            Username = "app",
            AuthResponse = [1, 2, 3],
        };
        var request = Build(response.WriteSslRequest);
        Assert.Equal(Hex("20 8A 00 00 00 00 00 40 2D" + string.Concat(Enumerable.Repeat(" 00", 19)) + " 08 00 00 00"), request);
        Assert.True(HandshakeResponse41Packet.IsSslRequest(request));
        Assert.Equal(request, Build(response.Write)[..HandshakeResponse41Packet.SslRequestLength]);
    }

    [Fact]
    public void Ssl_request_read_as_a_response_throws_ProtocolException()
    {
        var request = Build(w => w.WriteUInt32((uint)(Base | CapabilityFlags.SecureConnection | CapabilityFlags.Ssl))
            .WriteUInt32(1 << 24).WriteByte(CharacterSets.Utf8Mb4GeneralCi).WriteZeros(23));
        Assert.Throws<ProtocolException>(() => HandshakeResponse41Packet.Read(request));
    }

    [Fact]
    public void Pre_41_client_is_refused_with_ProtocolException()
    {
        var payload = Hex("01 80 00 00" + "00 00 00 01" + "21" + Filler23 + "61 00 00");
        Assert.Throws<ProtocolException>(() => HandshakeResponse41Packet.Read(payload));
    }

    [Theory]
    [InlineData("FF")] // invalid lenenc prefix for the attribute block
    [InlineData("FB")] // NULL as a length
    [InlineData("05 01 61")] // block longer than the payload
    [InlineData("03 05 61 62")] // key longer than the block
    [InlineData("02 01 61")] // value missing
    [InlineData("FE FF FF FF 7F 00 00 00 00")] // 2 GB block: the end overflows int
    public void Malformed_connect_attributes_throw_ProtocolException(string attributesHex)
    {
        var payload = Hex("01 82 10 00" + "00 00 00 01" + "21" + Filler23 + "61 00" + "00" + attributesHex);
        var exception = Record.Exception(() => HandshakeResponse41Packet.Read(payload));
        Assert.IsType<ProtocolException>(exception);
    }

    [Fact]
    public void Every_truncation_reads_or_throws_ProtocolException()
    {
        var payload = Build(new HandshakeResponse41Packet
        {
            Capabilities = Base | CapabilityFlags.SecureConnection | CapabilityFlags.PluginAuthLenencClientData | CapabilityFlags.PluginAuth |
                CapabilityFlags.ConnectWithDb | CapabilityFlags.ConnectAttrs,
            Username = "root",
            AuthResponse = Sequential(20),
            Database = "db",
            ConnectAttributes = [new("a", "b")],
        }.Write);
        for (var length = 0; length <= payload.Length; length++)
        {
            var prefix = payload[..length];
            var exception = Record.Exception(() => HandshakeResponse41Packet.Read(prefix));
            Assert.True(exception is null or ProtocolException, $"length {length}: {exception}");
        }
    }

    [Fact]
    public void Every_single_byte_corruption_reads_or_throws_ProtocolException()
    {
        var payload = Build(new HandshakeResponse41Packet
        {
            Capabilities = Base | CapabilityFlags.SecureConnection | CapabilityFlags.PluginAuthLenencClientData | CapabilityFlags.PluginAuth |
                CapabilityFlags.ConnectWithDb | CapabilityFlags.ConnectAttrs,
            Username = "root",
            AuthResponse = Sequential(20),
            Database = "db",
            ConnectAttributes = [new("a", "b"), new("cc", "dd")],
        }.Write);
        foreach (var value in new byte[] { 0x00, 0x01, 0x7F, 0xFB, 0xFC, 0xFD, 0xFE, 0xFF })
        {
            for (var i = 0; i < payload.Length; i++)
            {
                var corrupt = payload.ToArray();
                corrupt[i] = value;
                var exception = Record.Exception(() => HandshakeResponse41Packet.Read(corrupt));
                Assert.True(exception is null or ProtocolException, $"byte {i} = {value:X2}: {exception}");
            }
        }
    }
}
