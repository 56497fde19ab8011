using System.Buffers;
using System.Collections.Immutable;
using ProxyLayer.Protocol;
using ProxyLayer.Protocol.Packets;
using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Fuzz;

/// <summary>
/// Writes the starting inputs (fuzz/corpus/TARGET/): well-formed packets as clients and servers send them, written
/// by the protocol's own writers, so the fuzzer starts from every branch a real peer takes.
/// </summary>
internal static class SeedCorpus
{
    private static readonly byte[] Scramble = [.. Enumerable.Range(1, 20).Select(i => (byte)i)];

    public static void Write(string root)
    {
        var flags = CapabilityFlags.Protocol41 | CapabilityFlags.SecureConnection | CapabilityFlags.PluginAuth | CapabilityFlags.LongPassword;
        Save(root, "handshake-response", "mysql-client", Written(new HandshakeResponse41Packet
        {
            Capabilities = flags | CapabilityFlags.ConnectWithDb | CapabilityFlags.ConnectAttrs | CapabilityFlags.PluginAuthLenencClientData,
            Username = "app",
            AuthResponse = Scramble,
            Database = "shop",
            AuthPluginName = AuthPlugins.MysqlNativePassword,
            ConnectAttributes = [new("_client_name", "libmariadb"), new("_os", "Linux")],
        }.Write));
        Save(root, "handshake-response", "mariadb-extended", Written(new HandshakeResponse41Packet
        {
            Capabilities = (flags & ~CapabilityFlags.LongPassword) | CapabilityFlags.MariaDbExtendedTypeInfo,
            Username = "root",
            AuthResponse = [],
        }.Write));
        Save(root, "handshake-response", "ssl-request", Written(new HandshakeResponse41Packet
        {
            Capabilities = flags | CapabilityFlags.Ssl,
            Username = "",
        }.WriteSslRequest));

        var greeting = new HandshakeV10Packet
        {
            ServerVersion = "5.5.5-10.11.6-MariaDB",
            ConnectionId = 42,
            AuthPluginData = Scramble,
            Capabilities = flags | CapabilityFlags.ConnectAttrs | CapabilityFlags.SessionTrack,
        };
        Save(root, "handshake-v10", "mariadb", Written(greeting.Write));
        Save(root, "handshake-v10", "mysql-caching-sha2", Written(new HandshakeV10Packet
        {
            ServerVersion = "8.0.36",
            AuthPluginData = Scramble,
            Capabilities = flags,
            AuthPluginName = AuthPlugins.CachingSha2Password,
        }.Write));

        Save(root, "server-replies", "ok-session-track", [0, .. Written(w => OkPacket.Write(w, 1, 7, ServerStatusFlags.Autocommit, 0,
            CapabilityFlags.SessionTrack, "Rows matched: 1"))]);
        Save(root, "server-replies", "ok-plain", [1, .. Written(w => OkPacket.Write(w, 0, 0, ServerStatusFlags.Autocommit, 0, CapabilityFlags.None))]);
        Save(root, "server-replies", "error", [1, .. Written(w => ErrorPacket.Write(w, 1045, "28000", "Access denied"))]);
        Save(root, "server-replies", "eof", [1, .. Written(w => EofPacket.Write(w, ServerStatusFlags.Autocommit))]);
        Save(root, "server-replies", "auth-switch", [1, .. Written(new AuthSwitchRequestPacket
        {
            PluginName = AuthPlugins.MysqlNativePassword,
            PluginData = Scramble,
        }.Write)]);

        var query = Written(w => w.WriteByte((byte)CommandKind.Query).WriteBytes("SELECT 1"u8));
        Save(root, "framing", "two-queries", [4, .. Framed(query, 0), .. Framed(query, 0)]);
        Save(root, "framing", "greeting", [0, .. Framed(Written(greeting.Write), 0)]);

        if (CompressedPacketFramer.IsSupported)
        {
            var longQuery = Written(w => w.WriteByte((byte)CommandKind.Query).WriteBytes(System.Text.Encoding.UTF8.GetBytes(
                "SELECT " + string.Join(", ", Enumerable.Range(0, 40).Select(i => $"c{i}")) + " FROM t")));
            Save(root, "compressed", "plain-frame", Compressed(Framed(query, 0)));
            Save(root, "compressed", "zlib-frame", Compressed(Framed(longQuery, 0)));
        }
    }

    private static byte[] Written(Action<PayloadWriter> write)
    {
        using var writer = new PayloadWriter();
        write(writer);
        return writer.Payload.ToArray();
    }

    private static byte[] Framed(byte[] payload, byte sequenceId)
    {
        var output = new ArrayBufferWriter<byte>();
        PacketFramer.WritePackets(output, payload, sequenceId);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] Compressed(byte[] packets)
    {
        var output = new ArrayBufferWriter<byte>();
        CompressedPacketFramer.WriteFrame(output, new ReadOnlySequence<byte>(packets), 0);
        return output.WrittenSpan.ToArray();
    }

    private static void Save(string root, string target, string name, byte[] bytes)
    {
        var directory = Path.Combine(root, target);
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, name), bytes);
    }
}
