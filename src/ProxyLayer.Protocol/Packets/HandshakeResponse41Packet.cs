using System.Collections.Immutable;
using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Protocol.Packets;

/// <summary>
/// The client's answer to the greeting. See https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_response.html.
/// </summary>
public sealed class HandshakeResponse41Packet
{
    /// <summary>An SSL request is the first 32 bytes of a response, sent before TLS starts.</summary>
    public const int SslRequestLength = 32;

    public CapabilityFlags Capabilities { get; init; }
    public uint MaxPacketSize { get; init; } = 1 << 24;
    public byte CharacterSet { get; init; } = CharacterSets.Utf8Mb4GeneralCi;
    public required string Username { get; init; }
    public byte[] AuthResponse { get; init; } = [];
    public string? Database { get; init; }
    public string? AuthPluginName { get; init; }
    public ImmutableArray<KeyValuePair<string, string>> ConnectAttributes { get; init; } = [];

    public static bool IsSslRequest(ReadOnlySpan<byte> payload) =>
        payload.Length == SslRequestLength && (payload[1] & (byte)((ulong)CapabilityFlags.Ssl >> 8)) != 0;

    public static HandshakeResponse41Packet Read(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        ulong capabilities = reader.ReadUInt32();
        if ((capabilities & (ulong)CapabilityFlags.Protocol41) == 0)
            throw new ProtocolException("the client does not speak protocol 4.1; this server needs it");
        var maxPacket = reader.ReadUInt32();
        var charset = reader.ReadByte();
        reader.Skip(19);
        var mariaDbCapabilities = reader.ReadUInt32();
        if ((capabilities & (ulong)CapabilityFlags.LongPassword) == 0)
            capabilities |= (ulong)mariaDbCapabilities << 32;
        var flags = (CapabilityFlags)capabilities;
        var username = reader.ReadNullTerminatedString();
        byte[] authResponse;
        if ((flags & CapabilityFlags.PluginAuthLenencClientData) != 0)
            authResponse = reader.ReadLengthEncodedBytes().ToArray();
        else if ((flags & CapabilityFlags.SecureConnection) != 0)
            authResponse = reader.ReadBytes(reader.ReadByte()).ToArray();
        else
            authResponse = reader.ReadNullTerminatedBytes().ToArray();

        string? database = null;
        if ((flags & CapabilityFlags.ConnectWithDb) != 0 && !reader.IsAtEnd)
        {
            database = reader.ReadNullTerminatedString();
            if (database.Length == 0)
                database = null;
        }
        string? plugin = null;
        if ((flags & CapabilityFlags.PluginAuth) != 0 && !reader.IsAtEnd)
            plugin = reader.ReadNullTerminatedString();
        var attributes = ImmutableArray<KeyValuePair<string, string>>.Empty;
        if ((flags & CapabilityFlags.ConnectAttrs) != 0 && !reader.IsAtEnd)
        {
            var block = new PayloadReader(reader.ReadLengthEncodedBytes());
            var builder = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
            while (!block.IsAtEnd)
                builder.Add(new(block.ReadLengthEncodedString(), block.ReadLengthEncodedString()));
            attributes = builder.ToImmutable();
        }
        return new HandshakeResponse41Packet
        {
            Capabilities = flags,
            MaxPacketSize = maxPacket,
            CharacterSet = charset,
            Username = username,
            AuthResponse = authResponse,
            Database = database,
            AuthPluginName = plugin,
            ConnectAttributes = attributes,
        };
    }

    /// <summary>
    /// Writes the SSL request: this response's first <see cref="SslRequestLength"/> bytes, sent in the clear with
    /// <see cref="CapabilityFlags.Ssl"/> set before the TLS handshake; the whole response follows over TLS.
    /// </summary>
    public void WriteSslRequest(PayloadWriter writer)
    {
        var capabilities = (ulong)Capabilities;
        var mariaDb = (capabilities & (ulong)CapabilityFlags.LongPassword) == 0;
        writer.WriteUInt32((uint)capabilities)
            .WriteUInt32(MaxPacketSize)
            .WriteByte(CharacterSet)
            .WriteZeros(19)
            .WriteUInt32(mariaDb ? (uint)(capabilities >> 32) : 0);
    }

    public void Write(PayloadWriter writer)
    {
        WriteSslRequest(writer);
        writer.WriteNullTerminatedString(Username);
        if ((Capabilities & CapabilityFlags.PluginAuthLenencClientData) != 0)
            writer.WriteLengthEncodedBytes(AuthResponse);
        else if ((Capabilities & CapabilityFlags.SecureConnection) != 0)
            writer.WriteByte((byte)AuthResponse.Length).WriteBytes(AuthResponse);
        else
            writer.WriteNullTerminatedBytes(AuthResponse);
        if ((Capabilities & CapabilityFlags.ConnectWithDb) != 0)
            writer.WriteNullTerminatedString(Database ?? "");
        if ((Capabilities & CapabilityFlags.PluginAuth) != 0)
            writer.WriteNullTerminatedString(AuthPluginName ?? AuthPlugins.MysqlNativePassword);
        if ((Capabilities & CapabilityFlags.ConnectAttrs) != 0)
        {
            using var block = new PayloadWriter();
            foreach (var (key, value) in ConnectAttributes)
                block.WriteLengthEncodedString(key).WriteLengthEncodedString(value);
            writer.WriteLengthEncodedBytes(block.Payload);
        }
    }
}
