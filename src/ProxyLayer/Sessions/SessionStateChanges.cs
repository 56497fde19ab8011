using System.Text;
using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Sessions;

/// <summary>
/// Reads the session-state records of an OK packet (CLIENT_SESSION_TRACK). See
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_ok_packet.html (session_state_info).
/// </summary>
internal static class SessionStateChanges
{
    private const byte SystemVariables = 0;
    private const byte SchemaChange = 1;

    /// <summary>MariaDB's session variable with the GTID of the session's last committed transaction.</summary>
    private static ReadOnlySpan<byte> LastGtid => "last_gtid"u8;

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

    /// <summary>
    /// The GTID of the last commit if a record reports MariaDB's <c>last_gtid</c> (SESSION_TRACK_SYSTEM_VARIABLES:
    /// name and value, each length-encoded). Reads in place: no allocation. MySQL reports its own GTIDs in a record of
    /// type 3 (SESSION_TRACK_GTIDS, <c>session_track_gtids=OWN_GTID</c>), not read yet.
    /// </summary>
    public static bool TryFindLastGtid(ReadOnlySpan<byte> records, out Gtid.MariaDbGtid gtid)
    {
        gtid = default;
        var found = false;
        try
        {
            var reader = new PayloadReader(records);
            while (!reader.IsAtEnd)
            {
                var type = reader.ReadByte();
                var data = reader.ReadLengthEncodedBytes();
                if (type != SystemVariables)
                    continue;
                var inner = new PayloadReader(data);
                var name = inner.ReadLengthEncodedBytes();
                if (!name.SequenceEqual(LastGtid))
                    continue;
                // Empty before the session's first commit that wrote a GTID.
                if (Gtid.MariaDbGtid.TryParse(inner.ReadLengthEncodedBytes(), out var parsed))
                {
                    gtid = parsed;
                    found = true;
                }
            }
            return found;
        }
        catch (Protocol.ProtocolException)
        {
            return found;
        }
    }
}
