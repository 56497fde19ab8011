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

    /// <summary>The new default schema if one of the records reports it; null if any record is malformed.</summary>
    public static string? FindSchema(ReadOnlySpan<byte> records)
    {
        try
        {
            var walk = new RecordWalk(records);
            string? schema = null;
            while (walk.Next(out var type, out var data))
            {
                if (type == SchemaChange)
                    schema = Encoding.UTF8.GetString(new PayloadReader(data).ReadLengthEncodedBytes());
            }
            return walk.Malformed ? null : schema;
        }
        catch (Protocol.ProtocolException)
        {
            return null;
        }
    }

    /// <summary>MySQL's SESSION_TRACK_GTIDS record (<c>session_track_gtids=OWN_GTID</c>).</summary>
    private const byte Gtids = 3;

    /// <summary>
    /// The session's last own GTID if a record of type 3 (SESSION_TRACK_GTIDS, MySQL 5.7+ with
    /// <c>session_track_gtids=OWN_GTID</c>) reports one: its data is the encoding specification (a length-encoded
    /// integer, 0 for text) and the GTID set as a length-encoded string, <c>uuid:n</c> or <c>uuid:a-b</c> when one
    /// response committed several transactions (the highest is taken: they are the session's own, in commit order).
    /// Reads in place: no allocation. False for another encoding, a tagged GTID, or a malformed record.
    /// </summary>
    public static bool TryFindOwnGtid(ReadOnlySpan<byte> records, out Gtid.MySqlGtid gtid)
    {
        gtid = default;
        var found = false;
        try
        {
            var walk = new RecordWalk(records);
            while (walk.Next(out var type, out var data))
            {
                if (type != Gtids)
                    continue;
                var inner = new PayloadReader(data);
                if (inner.ReadLengthEncodedInteger() == 0 && TryReadOwnGtid(inner.ReadLengthEncodedBytes(), out var parsed))
                {
                    gtid = parsed;
                    found = true;
                }
            }
        }
        catch (Protocol.ProtocolException)
        {
        }
        return found;
    }

    /// <summary><c>uuid:n</c> or <c>uuid:a-b[:c-d…]</c> of one source: the highest number listed.</summary>
    private static bool TryReadOwnGtid(ReadOnlySpan<byte> text, out Gtid.MySqlGtid gtid)
    {
        gtid = default;
        if (text.Length <= Gtid.MySqlGtid.UuidLength + 1 || text[Gtid.MySqlGtid.UuidLength] != (byte)':' ||
            !Gtid.MySqlGtid.TryParseSource(text[..Gtid.MySqlGtid.UuidLength], out var source))
            return false;
        ulong highest = 0;
        foreach (var range in text[(Gtid.MySqlGtid.UuidLength + 1)..].Split((byte)':'))
        {
            if (!Gtid.MySqlGtidSet.TryParseInterval(text[(Gtid.MySqlGtid.UuidLength + 1)..][range], out _, out var last))
                return false;
            highest = Math.Max(highest, last);
        }
        gtid = new Gtid.MySqlGtid(source, highest);
        return true;
    }

    /// <summary>
    /// The GTID of the last commit if a record reports MariaDB's <c>last_gtid</c> (SESSION_TRACK_SYSTEM_VARIABLES:
    /// name and value, each length-encoded). Reads in place: no allocation. MySQL reports its own GTIDs in a record of
    /// type 3 instead (<see cref="TryFindOwnGtid"/>).
    /// </summary>
    public static bool TryFindLastGtid(ReadOnlySpan<byte> records, out Gtid.MariaDbGtid gtid)
    {
        gtid = default;
        var found = false;
        try
        {
            var walk = new RecordWalk(records);
            while (walk.Next(out var type, out var data))
            {
                if (type != SystemVariables)
                    continue;
                var inner = new PayloadReader(data);
                // Empty before the session's first commit that wrote a GTID.
                if (inner.ReadLengthEncodedBytes().SequenceEqual(LastGtid) && Gtid.MariaDbGtid.TryParse(inner.ReadLengthEncodedBytes(), out var parsed))
                {
                    gtid = parsed;
                    found = true;
                }
            }
        }
        catch (Protocol.ProtocolException)
        {
        }
        return found;
    }

    /// <summary>
    /// The records in order, each a type byte and length-encoded data; stops at the end, or at a record that runs past
    /// it (<see cref="Malformed"/>). What each finder keeps on malformed input is its own choice.
    /// </summary>
    private ref struct RecordWalk(ReadOnlySpan<byte> records)
    {
        private PayloadReader _reader = new(records);

        public bool Malformed { get; private set; }

        public bool Next(out byte type, out ReadOnlySpan<byte> data)
        {
            type = 0;
            data = default;
            if (Malformed || _reader.IsAtEnd)
                return false;
            try
            {
                type = _reader.ReadByte();
                data = _reader.ReadLengthEncodedBytes();
                return true;
            }
            catch (Protocol.ProtocolException)
            {
                Malformed = true;
                return false;
            }
        }
    }
}
