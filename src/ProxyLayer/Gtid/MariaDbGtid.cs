using System.Buffers.Text;

namespace ProxyLayer.Gtid;

/// <summary>
/// One MariaDB GTID, <c>domain-server-sequence</c> (https://mariadb.com/kb/en/gtid/). Within a domain sequence numbers
/// only grow (gtid_strict_mode), so "has applied" is a comparison of sequences per domain; the server id only says who
/// wrote it and is kept for MASTER_GTID_WAIT's argument.
/// </summary>
internal readonly record struct MariaDbGtid(uint Domain, uint ServerId, ulong Sequence)
{
    /// <summary>Parses <c>d-s-n</c> from UTF-8 without allocating; false on anything else (including empty).</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out MariaDbGtid gtid)
    {
        gtid = default;
        if (!Utf8Parser.TryParse(text, out uint domain, out var used) || used >= text.Length || text[used] != (byte)'-')
            return false;
        text = text[(used + 1)..];
        if (!Utf8Parser.TryParse(text, out uint server, out used) || used >= text.Length || text[used] != (byte)'-')
            return false;
        text = text[(used + 1)..];
        if (!Utf8Parser.TryParse(text, out ulong sequence, out used) || used != text.Length)
            return false;
        gtid = new MariaDbGtid(domain, server, sequence);
        return true;
    }

    /// <summary>Parses <c>d-s-n</c> from text; false on anything else.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out MariaDbGtid gtid)
    {
        gtid = default;
        Span<byte> bytes = stackalloc byte[64];
        if (text.Length > bytes.Length)
            return false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] > 127)
                return false;
            bytes[i] = (byte)text[i];
        }
        return TryParse(bytes[..text.Length], out gtid);
    }

    public override string ToString() => $"{Domain}-{ServerId}-{Sequence}";
}
