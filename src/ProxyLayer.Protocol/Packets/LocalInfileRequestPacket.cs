namespace ProxyLayer.Protocol.Packets;

/// <summary>
/// The server asks the client for a file's content (LOAD DATA LOCAL INFILE): 0xFB + file name. The client answers
/// with the file in packets and an empty packet. See https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_local_infile_request.html.
/// </summary>
public static class LocalInfileRequestPacket
{
    public const byte Signature = 0xFB;

    public static bool IsLocalInfileRequest(ReadOnlySpan<byte> payload) => payload.Length > 0 && payload[0] == Signature;
}
