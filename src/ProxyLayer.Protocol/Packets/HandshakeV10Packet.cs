using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Protocol.Packets;

/// <summary>
/// The server's greeting. See https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_v10.html
/// and, for the MariaDB extended capabilities in the reserved bytes, https://mariadb.com/kb/en/connection/#initial-handshake-packet.
/// </summary>
public sealed class HandshakeV10Packet
{
    public const byte ProtocolVersion = 10;

    public required string ServerVersion { get; init; }
    public uint ConnectionId { get; init; }
    /// <summary>The 20-byte scramble (both parts, without the trailing NUL).</summary>
    public required byte[] AuthPluginData { get; init; }
    public CapabilityFlags Capabilities { get; init; }
    public byte CharacterSet { get; init; } = CharacterSets.Utf8Mb4GeneralCi;
    public ServerStatusFlags Status { get; init; } = ServerStatusFlags.Autocommit;
    public string AuthPluginName { get; init; } = AuthPlugins.MysqlNativePassword;

    /// <summary>True if the server is MariaDB speaking its extended capabilities (bit 0, CLIENT_MYSQL, unset).</summary>
    public bool IsMariaDbExtended => (Capabilities & CapabilityFlags.LongPassword) == 0;

    public static HandshakeV10Packet Read(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        var protocol = reader.ReadByte();
        if (protocol != ProtocolVersion)
            throw ProtocolException.Malformed($"unsupported handshake protocol version {protocol}");
        var version = reader.ReadNullTerminatedString();
        var connectionId = reader.ReadUInt32();
        var part1 = reader.ReadBytes(8);
        reader.ReadByte();
        ulong capabilities = reader.ReadUInt16();
        byte charset = 0;
        var status = ServerStatusFlags.None;
        var scramble = new byte[20];
        part1.CopyTo(scramble);
        var pluginName = AuthPlugins.MysqlNativePassword;
        if (!reader.IsAtEnd)
        {
            charset = reader.ReadByte();
            status = (ServerStatusFlags)reader.ReadUInt16();
            capabilities |= (ulong)reader.ReadUInt16() << 16;
            var authDataLength = reader.ReadByte();
            reader.Skip(6);
            var mariaDbCapabilities = reader.ReadUInt32();
            if ((capabilities & (ulong)CapabilityFlags.LongPassword) == 0)
                capabilities |= (ulong)mariaDbCapabilities << 32;
            if ((capabilities & (ulong)CapabilityFlags.SecureConnection) != 0)
            {
                var part2Length = Math.Max(13, authDataLength - 8);
                var part2 = reader.ReadBytes(Math.Min(part2Length, reader.Remaining));
                var useful = part2.Length > 0 && part2[^1] == 0 ? part2[..^1] : part2;
                if (useful.Length > 12)
                    useful = useful[..12];
                useful.CopyTo(scramble.AsSpan(8));
            }
            if ((capabilities & (ulong)CapabilityFlags.PluginAuth) != 0 && !reader.IsAtEnd)
                pluginName = reader.ReadNullTerminatedString();
        }
        return new HandshakeV10Packet
        {
            ServerVersion = version,
            ConnectionId = connectionId,
            AuthPluginData = scramble,
            Capabilities = (CapabilityFlags)capabilities,
            CharacterSet = charset,
            Status = status,
            AuthPluginName = pluginName,
        };
    }

    public void Write(PayloadWriter writer)
    {
        var capabilities = (ulong)Capabilities;
        writer.WriteByte(ProtocolVersion)
            .WriteNullTerminatedString(ServerVersion)
            .WriteUInt32(ConnectionId)
            .WriteBytes(AuthPluginData.AsSpan(0, 8))
            .WriteByte(0)
            .WriteUInt16((ushort)capabilities)
            .WriteByte(CharacterSet)
            .WriteUInt16((ushort)Status)
            .WriteUInt16((ushort)(capabilities >> 16))
            .WriteByte((byte)(AuthPluginData.Length + 1))
            .WriteZeros(6)
            .WriteUInt32(IsMariaDbExtended ? (uint)(capabilities >> 32) : 0)
            .WriteBytes(AuthPluginData.AsSpan(8))
            .WriteByte(0)
            .WriteNullTerminatedString(AuthPluginName);
    }
}
