using ProxyLayer.Protocol;
using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Sessions;

/// <summary>
/// COM_CHANGE_USER as the client sends it. See https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_change_user.html.
/// </summary>
internal sealed record ChangeUserRequest(string Username, string? Database, int Collation)
{
    public static ChangeUserRequest Read(ReadOnlySpan<byte> payload, CapabilityFlags capabilities)
    {
        var reader = new PayloadReader(payload);
        reader.ReadByte();
        var username = reader.ReadNullTerminatedString();
        if ((capabilities & CapabilityFlags.SecureConnection) != 0)
            reader.Skip(reader.ReadByte());
        else
            reader.ReadNullTerminatedBytes();
        var database = reader.IsAtEnd ? null : reader.ReadNullTerminatedString();
        var collation = reader.Remaining >= 2 ? reader.ReadUInt16() : 0;
        return new ChangeUserRequest(username, string.IsNullOrEmpty(database) ? null : database, collation);
    }
}
