using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Protocol.Packets;

/// <summary>EOF_Packet (without CLIENT_DEPRECATE_EOF). See https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_eof_packet.html.</summary>
public readonly struct EofPacket
{
    public const byte Signature = 0xFE;

    public ushort Warnings { get; init; }
    public ServerStatusFlags Status { get; init; }

    /// <summary>An EOF packet is 0xFE and shorter than 9 bytes; a row starting with 0xFE is longer.</summary>
    public static bool IsEof(ReadOnlySpan<byte> payload) => payload.Length is > 0 and < 9 && payload[0] == Signature;

    public static EofPacket Read(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 5)
            return default;
        var reader = new PayloadReader(payload);
        reader.ReadByte();
        return new EofPacket { Warnings = reader.ReadUInt16(), Status = (ServerStatusFlags)reader.ReadUInt16() };
    }

    public static void Write(PayloadWriter writer, ServerStatusFlags status, ushort warnings = 0) =>
        writer.WriteByte(Signature).WriteUInt16(warnings).WriteUInt16((ushort)status);
}
