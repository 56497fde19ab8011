using System.Collections.Immutable;
using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Protocol.Packets;

/// <summary>
/// COM_CHANGE_USER as a client sends it: log the connection in again as another user, which also resets its session.
/// See https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_change_user.html.
/// </summary>
public sealed class ChangeUserPacket
{
    public const byte Command = 0x11;

    public required string Username { get; init; }
    public byte[] AuthResponse { get; init; } = [];
    public string? Database { get; init; }
    public ushort CharacterSet { get; init; } = CharacterSets.Utf8Mb4GeneralCi;
    public string? AuthPluginName { get; init; }
    public ImmutableArray<KeyValuePair<string, string>> ConnectAttributes { get; init; } = [];

    /// <summary>Writes the command for a connection that negotiated <paramref name="capabilities"/>.</summary>
    public void Write(PayloadWriter writer, CapabilityFlags capabilities)
    {
        writer.WriteByte(Command).WriteNullTerminatedString(Username);
        if ((capabilities & CapabilityFlags.SecureConnection) != 0)
            writer.WriteByte((byte)AuthResponse.Length).WriteBytes(AuthResponse);
        else
            writer.WriteNullTerminatedBytes(AuthResponse);
        writer.WriteNullTerminatedString(Database ?? "");
        if ((capabilities & CapabilityFlags.Protocol41) != 0)
            writer.WriteUInt16(CharacterSet);
        if ((capabilities & CapabilityFlags.PluginAuth) != 0)
            writer.WriteNullTerminatedString(AuthPluginName ?? AuthPlugins.MysqlNativePassword);
        // A server that negotiated attributes reads the block, even an empty one; MariaDB answers 1047 without it.
        if ((capabilities & CapabilityFlags.ConnectAttrs) != 0)
        {
            using var block = new PayloadWriter();
            foreach (var (key, value) in ConnectAttributes)
                block.WriteLengthEncodedString(key).WriteLengthEncodedString(value);
            writer.WriteLengthEncodedBytes(block.Payload);
        }
    }
}
