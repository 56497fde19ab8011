using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Protocol.Packets;

/// <summary>
/// Column_Definition41, written for result sets the proxy answers itself (admin tables, local answers).
/// Relayed result sets are never decoded into this type. See
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset_column_definition.html
/// and, for MariaDB's extended type info, https://mariadb.com/kb/en/result-set-packets/#column-definition-packet.
/// </summary>
public static class ColumnDefinitionPacket
{
    /// <param name="capabilities">The client's: with <see cref="CapabilityFlags.MariaDbExtendedTypeInfo"/> the packet carries an (empty) extended type info block.</param>
    public static void Write(PayloadWriter writer, string name, ColumnType type = ColumnType.VarString,
        string schema = "", string table = "", int length = 1024, byte characterSet = CharacterSets.Utf8Mb4GeneralCi,
        CapabilityFlags capabilities = CapabilityFlags.None)
    {
        writer.WriteLengthEncodedString("def")
            .WriteLengthEncodedString(schema)
            .WriteLengthEncodedString(table)
            .WriteLengthEncodedString(table)
            .WriteLengthEncodedString(name)
            .WriteLengthEncodedString(name);
        // The block's length, then (type, value) pairs; none for the proxy's own columns.
        if ((capabilities & CapabilityFlags.MariaDbExtendedTypeInfo) != 0)
            writer.WriteLengthEncodedInteger(0);
        writer.WriteByte(0x0C)
            .WriteUInt16(characterSet)
            .WriteUInt32((uint)length)
            .WriteByte((byte)type)
            .WriteUInt16(0)
            .WriteByte(0)
            .WriteUInt16(0);
    }
}
