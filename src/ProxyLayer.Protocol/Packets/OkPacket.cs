using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Protocol.Packets;

/// <summary>
/// OK_Packet, also used (with signature 0xFE) as the end of a result set when CLIENT_DEPRECATE_EOF is on.
/// See https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_ok_packet.html.
/// Spans point into the payload it was read from.
/// </summary>
public readonly ref struct OkPacket
{
    public const byte Signature = 0x00;
    public const byte EofSignature = 0xFE;

    public ulong AffectedRows { get; init; }
    public ulong LastInsertId { get; init; }
    public ServerStatusFlags Status { get; init; }
    public ushort Warnings { get; init; }
    public ReadOnlySpan<byte> Info { get; init; }
    /// <summary>Session state change records (present when <see cref="ServerStatusFlags.SessionStateChanged"/> is set).</summary>
    public ReadOnlySpan<byte> SessionStateChanges { get; init; }

    /// <summary>An OK packet: 0x00 and at least 7 bytes, or 0xFE (an OK standing for EOF) below 16 MB.</summary>
    public static bool IsOk(ReadOnlySpan<byte> payload, CapabilityFlags capabilities) =>
        payload.Length >= 7 && (payload[0] == Signature ||
            (payload[0] == EofSignature && (capabilities & CapabilityFlags.DeprecateEof) != 0 && payload.Length < PacketHeader.MaxPayloadLength));

    public static OkPacket Read(ReadOnlySpan<byte> payload, CapabilityFlags capabilities)
    {
        var reader = new PayloadReader(payload);
        reader.ReadByte();
        var affected = reader.ReadLengthEncodedInteger();
        var insertId = reader.ReadLengthEncodedInteger();
        var status = (ServerStatusFlags)reader.ReadUInt16();
        var warnings = reader.ReadUInt16();
        ReadOnlySpan<byte> info = default;
        ReadOnlySpan<byte> changes = default;
        if ((capabilities & CapabilityFlags.SessionTrack) != 0)
        {
            if (!reader.IsAtEnd)
                info = reader.ReadLengthEncodedBytes();
            if ((status & ServerStatusFlags.SessionStateChanged) != 0 && !reader.IsAtEnd)
                changes = reader.ReadLengthEncodedBytes();
        }
        else
        {
            info = reader.ReadToEnd();
        }
        return new OkPacket { AffectedRows = affected, LastInsertId = insertId, Status = status, Warnings = warnings, Info = info, SessionStateChanges = changes };
    }

    public static void Write(PayloadWriter writer, ulong affectedRows, ulong lastInsertId, ServerStatusFlags status, ushort warnings,
        CapabilityFlags capabilities, string? info = null, byte signature = Signature)
    {
        writer.WriteByte(signature).WriteLengthEncodedInteger(affectedRows).WriteLengthEncodedInteger(lastInsertId)
            .WriteUInt16((ushort)(status & ~ServerStatusFlags.SessionStateChanged)).WriteUInt16(warnings);
        if ((capabilities & CapabilityFlags.SessionTrack) != 0)
        {
            if (!string.IsNullOrEmpty(info))
                writer.WriteLengthEncodedString(info);
        }
        else if (!string.IsNullOrEmpty(info))
        {
            writer.WriteString(info);
        }
    }
}
