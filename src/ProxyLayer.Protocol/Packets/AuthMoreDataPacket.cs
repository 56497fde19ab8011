namespace ProxyLayer.Protocol.Packets;

/// <summary>
/// Extra authentication data from the server (0x01 + data), used by caching_sha2_password.
/// See https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_auth_more_data.html.
/// </summary>
public static class AuthMoreDataPacket
{
    public const byte Signature = 0x01;

    public static bool IsAuthMoreData(ReadOnlySpan<byte> payload) => payload.Length > 0 && payload[0] == Signature;

    public static ReadOnlySpan<byte> ReadData(ReadOnlySpan<byte> payload) => payload[1..];
}
