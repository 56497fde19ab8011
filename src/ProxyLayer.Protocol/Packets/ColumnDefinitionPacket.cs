using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Protocol.Packets;

/// <summary>
/// Column_Definition41, written for result sets the proxy answers itself (admin tables, local answers).
/// Relayed result sets are never decoded into this type. See
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset_column_definition.html.
/// </summary>
public static class ColumnDefinitionPacket
{
    public static void Write(PayloadWriter writer, string name, ColumnType type = ColumnType.VarString,
        string schema = "", string table = "", int length = 1024, byte characterSet = CharacterSets.Utf8Mb4GeneralCi)
    {
        writer.WriteLengthEncodedString("def")
            .WriteLengthEncodedString(schema)
            .WriteLengthEncodedString(table)
            .WriteLengthEncodedString(table)
            .WriteLengthEncodedString(name)
            .WriteLengthEncodedString(name)
            .WriteByte(0x0C)
            .WriteUInt16(characterSet)
            .WriteUInt32((uint)length)
            .WriteByte((byte)type)
            .WriteUInt16(0)
            .WriteByte(0)
            .WriteUInt16(0);
    }
}
