using System.Buffers.Text;

namespace ProxyLayer.Gtid;

/// <summary>
/// One MySQL GTID, <c>source_uuid:transaction_number</c> (https://dev.mysql.com/doc/refman/8.0/en/replication-gtids-concepts.html).
/// Unlike MariaDB's, a server's executed set may have gaps (a multi-threaded replica), so "has applied" is membership
/// in the server's <see cref="MySqlGtidSet"/>, not a comparison with its highest number. Tagged GTIDs (MySQL 8.3+,
/// <c>uuid:tag:n</c>) are not read.
/// </summary>
internal readonly record struct MySqlGtid(Guid Source, ulong Number)
{
    /// <summary>The text length of a source UUID (<c>8-4-4-4-12</c> hex digits).</summary>
    internal const int UuidLength = 36;

    /// <summary>Parses a source UUID from UTF-8 (exactly 36 characters, any case) without allocating.</summary>
    internal static bool TryParseSource(ReadOnlySpan<byte> text, out Guid source)
    {
        source = default;
        return text.Length == UuidLength && Utf8Parser.TryParse(text, out source, out var used, 'D') && used == UuidLength;
    }

    public override string ToString() => $"{Source:D}:{Number}";
}
