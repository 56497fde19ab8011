using CsCheck;
using ProxyLayer.Protocol.Packets;
using static ProxyLayer.Protocol.Tests.TestBytes;

namespace ProxyLayer.Protocol.Tests.Properties;

/// <summary>The greeting and the client's handshake response read back as written, whatever the fields.</summary>
public sealed class HandshakeProperties
{
    private static readonly CapabilityFlags[] Optional =
    [
        CapabilityFlags.ConnectWithDb, CapabilityFlags.ConnectAttrs, CapabilityFlags.PluginAuthLenencClientData,
        CapabilityFlags.SecureConnection, CapabilityFlags.PluginAuth, CapabilityFlags.LongPassword, CapabilityFlags.SessionTrack,
        CapabilityFlags.DeprecateEof, CapabilityFlags.MariaDbExtendedTypeInfo, CapabilityFlags.MariaDbCacheMetadata,
    ];

    private static readonly Gen<CapabilityFlags> Capabilities =
        Gen.Bool.Array[Optional.Length].Select(on => Optional.Where((_, i) => on[i]).Aggregate(CapabilityFlags.Protocol41, (all, f) => all | f));

    private static readonly Gen<string> NonEmpty = CodecProperties.Strings.Where(s => s.Length > 0);

    [Fact]
    public void A_handshake_response_reads_back_as_written() =>
        Gen.Select(Capabilities, CodecProperties.Strings, Gen.Byte.Array[0, 300], NonEmpty, NonEmpty,
            Gen.Select(NonEmpty, CodecProperties.Strings).Array[0, 4]).Sample((capabilities, username, auth, database, plugin, attributes) =>
        {
            // Without lenenc client data the response is a one-byte length (secure connection) or NUL-terminated.
            if ((capabilities & CapabilityFlags.PluginAuthLenencClientData) == 0)
                auth = (capabilities & CapabilityFlags.SecureConnection) != 0 ? auth[..Math.Min(auth.Length, 255)] : [.. auth.Where(b => b != 0)];
            if ((capabilities & CapabilityFlags.LongPassword) != 0)
                capabilities &= ~(CapabilityFlags.MariaDbExtendedTypeInfo | CapabilityFlags.MariaDbCacheMetadata);
            var written = new HandshakeResponse41Packet
            {
                Capabilities = capabilities,
                MaxPacketSize = 1 << 24,
                Username = username,
                AuthResponse = auth,
                Database = database,
                AuthPluginName = plugin,
                ConnectAttributes = [.. attributes.Select(a => new KeyValuePair<string, string>(a.Item1, a.Item2))],
            };

            var read = HandshakeResponse41Packet.Read(Build(written.Write));

            Assert.Equal(capabilities, read.Capabilities);
            Assert.Equal(username, read.Username);
            Assert.Equal(auth, read.AuthResponse);
            Assert.Equal((capabilities & CapabilityFlags.ConnectWithDb) != 0 ? database : null, read.Database);
            Assert.Equal((capabilities & CapabilityFlags.PluginAuth) != 0 ? plugin : null, read.AuthPluginName);
            Assert.Equal((capabilities & CapabilityFlags.ConnectAttrs) != 0 ? written.ConnectAttributes.ToArray() : [], read.ConnectAttributes.ToArray());
        });

    [Fact]
    public void A_greeting_reads_back_as_written() =>
        Gen.Select(Capabilities, NonEmpty, Gen.UInt, Gen.Byte.Array[20], Gen.Byte, NonEmpty).Sample((capabilities, version, id, scramble, charset, plugin) =>
        {
            capabilities |= CapabilityFlags.SecureConnection | CapabilityFlags.PluginAuth;
            if ((capabilities & CapabilityFlags.LongPassword) != 0)
                capabilities &= ~(CapabilityFlags.MariaDbExtendedTypeInfo | CapabilityFlags.MariaDbCacheMetadata);
            scramble = [.. scramble.Select(b => b == 0 ? (byte)1 : b)];
            var written = new HandshakeV10Packet
            {
                ServerVersion = version,
                ConnectionId = id,
                AuthPluginData = scramble,
                Capabilities = capabilities,
                CharacterSet = charset,
                AuthPluginName = plugin,
            };

            var read = HandshakeV10Packet.Read(Build(written.Write));

            Assert.Equal((version, id, capabilities, charset, plugin), (read.ServerVersion, read.ConnectionId, read.Capabilities, read.CharacterSet, read.AuthPluginName));
            Assert.Equal(scramble, read.AuthPluginData);
        });
}
