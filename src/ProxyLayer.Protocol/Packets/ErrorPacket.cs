using System.Text;
using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Protocol.Packets;

/// <summary>ERR_Packet. See https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_err_packet.html.</summary>
public readonly ref struct ErrorPacket
{
    public const byte Signature = 0xFF;

    public ushort ErrorCode { get; init; }
    public ReadOnlySpan<byte> SqlState { get; init; }
    public ReadOnlySpan<byte> Message { get; init; }

    public string SqlStateText => Encoding.ASCII.GetString(SqlState);
    public string MessageText => Encoding.UTF8.GetString(Message);

    public static bool IsError(ReadOnlySpan<byte> payload) => payload.Length >= 3 && payload[0] == Signature;

    public static ErrorPacket Read(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        reader.ReadByte();
        var code = reader.ReadUInt16();
        ReadOnlySpan<byte> state = "HY000"u8;
        if (!reader.IsAtEnd && reader.PeekByte() == (byte)'#' && reader.Remaining >= 6)
        {
            reader.ReadByte();
            state = reader.ReadBytes(5);
        }
        return new ErrorPacket { ErrorCode = code, SqlState = state, Message = reader.ReadToEnd() };
    }

    public static void Write(PayloadWriter writer, MySqlError error) =>
        Write(writer, error.Code, error.SqlState, error.Message);

    public static void Write(PayloadWriter writer, int code, string sqlState, string message)
    {
        writer.WriteByte(Signature).WriteUInt16((ushort)code).WriteByte((byte)'#');
        var state = sqlState.Length == 5 ? sqlState : "HY000";
        writer.WriteString(state).WriteString(message);
    }
}
