using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Protocol.Packets;

/// <summary>
/// Writes a whole text-protocol result set of string columns (NULL allowed) into a channel, honouring
/// CLIENT_DEPRECATE_EOF. Used for answers the proxy produces itself; relayed results never pass through here.
/// </summary>
public static class TextResultSetWriter
{
    public static void Write(PacketChannel channel, CapabilityFlags capabilities, IReadOnlyList<string> columns,
        IEnumerable<IReadOnlyList<string?>> rows, ServerStatusFlags status)
    {
        var deprecateEof = (capabilities & CapabilityFlags.DeprecateEof) != 0;
        var writer = channel.RentOutgoing();
        writer.WriteLengthEncodedInteger((ulong)columns.Count);
        channel.WritePayload(writer.Payload);
        foreach (var column in columns)
        {
            writer = channel.RentOutgoing();
            ColumnDefinitionPacket.Write(writer, column);
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
