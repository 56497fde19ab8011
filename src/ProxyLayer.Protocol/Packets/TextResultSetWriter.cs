using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Protocol.Packets;

/// <summary>
/// Writes a whole text-protocol result set of string columns (NULL allowed) into a channel, honouring
/// CLIENT_DEPRECATE_EOF. Used for answers the proxy produces itself; relayed results never pass through here.
/// </summary>
public static class TextResultSetWriter
{
    /// <param name="types">The columns' types (strings when null); numbers still travel as text, as in any text result set.</param>
    public static void Write(PacketChannel channel, CapabilityFlags capabilities, IReadOnlyList<string> columns,
        IEnumerable<IReadOnlyList<string?>> rows, ServerStatusFlags status, IReadOnlyList<ColumnType>? types = null)
    {
        var deprecateEof = (capabilities & CapabilityFlags.DeprecateEof) != 0;
        var writer = channel.RentOutgoing();
        writer.WriteLengthEncodedInteger((ulong)columns.Count);
        channel.WritePayload(writer.Payload);
        for (var i = 0; i < columns.Count; i++)
        {
            writer = channel.RentOutgoing();
            if (types is null || types[i] is ColumnType.VarString or ColumnType.String)
                ColumnDefinitionPacket.Write(writer, columns[i], capabilities: capabilities);
            else
                ColumnDefinitionPacket.Write(writer, columns[i], types[i], length: 21, characterSet: CharacterSets.Binary, capabilities: capabilities);
            channel.WritePayload(writer.Payload);
        }
        if (!deprecateEof)
        {
            writer = channel.RentOutgoing();
            EofPacket.Write(writer, status);
            channel.WritePayload(writer.Payload);
        }
        foreach (var row in rows)
        {
            writer = channel.RentOutgoing();
            foreach (var value in row)
            {
                if (value is null)
                    writer.WriteByte(0xFB);
                else
                    writer.WriteLengthEncodedString(value);
            }
            channel.WritePayload(writer.Payload);
        }
        writer = channel.RentOutgoing();
        if (deprecateEof)
            OkPacket.Write(writer, 0, 0, status, 0, capabilities, signature: OkPacket.EofSignature);
        else
            EofPacket.Write(writer, status);
        channel.WritePayload(writer.Payload);
    }
}
