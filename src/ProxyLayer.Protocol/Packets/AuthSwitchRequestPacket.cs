using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Protocol.Packets;

/// <summary>
/// Asks the client to authenticate again with another plugin. See
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_auth_switch_request.html.
/// </summary>
public sealed class AuthSwitchRequestPacket
{
    public const byte Signature = 0xFE;

    public required string PluginName { get; init; }
    /// <summary>The plugin's data (for both password plugins here: a 20-byte scramble), without the trailing NUL.</summary>
    public required byte[] PluginData { get; init; }
    /// <summary>
    /// The data exactly as sent. client_ed25519's nonce is 32 random bytes with no terminator, so its last byte may be
    /// a NUL that <see cref="PluginData"/> has dropped.
    /// </summary>
    public byte[] RawPluginData { get; init; } = [];

    public static bool IsAuthSwitchRequest(ReadOnlySpan<byte> payload) => payload.Length > 0 && payload[0] == Signature;

    public static AuthSwitchRequestPacket Read(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        reader.ReadByte();
        var name = reader.IsAtEnd ? AuthPlugins.MysqlOldPassword : reader.ReadNullTerminatedString();
        var raw = reader.ReadToEnd();
        var data = raw.Length > 0 && raw[^1] == 0 ? raw[..^1] : raw;
        return new AuthSwitchRequestPacket { PluginName = name, PluginData = data.ToArray(), RawPluginData = raw.ToArray() };
    }

    /// <summary>
    /// The scramble plugins end their data with a NUL, as MySQL and MariaDB send it; client_ed25519 reads exactly its
    /// 32-byte nonce and refuses a 33rd byte (libmariadb: "Error in server handshake").
    /// </summary>
    public bool NulTerminated { get; init; } = true;

    public void Write(PayloadWriter writer)
    {
        writer.WriteByte(Signature).WriteNullTerminatedString(PluginName).WriteBytes(PluginData);
        if (NulTerminated)
            writer.WriteByte(0);
    }
}
