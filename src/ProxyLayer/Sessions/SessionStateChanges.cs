using System.Text;
using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Sessions;

/// <summary>
/// Reads the session-state records of an OK packet (CLIENT_SESSION_TRACK). See
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_ok_packet.html (session_state_info).
/// </summary>
internal static class SessionStateChanges
{
    private const byte SchemaChange = 1;

    /// <summary>The new default schema if one of the records reports it.</summary>
    public static string? FindSchema(ReadOnlySpan<byte> records)
    {
        try
        {
            var reader = new PayloadReader(records);
            string? schema = null;
            while (!reader.IsAtEnd)
            {
                var type = reader.ReadByte();
                var data = reader.ReadLengthEncodedBytes();
                if (type == SchemaChange)
                {
                    var inner = new PayloadReader(data);
                    schema = Encoding.UTF8.GetString(inner.ReadLengthEncodedBytes());
                }
            }
            return schema;
        }
        catch (Protocol.ProtocolException)
        {
            return null;
        }
    }
}
