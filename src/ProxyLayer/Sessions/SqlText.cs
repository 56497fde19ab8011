using System.Text;

namespace ProxyLayer.Sessions;

/// <summary>Cheap looks at statement text that the session needs without a full parse.</summary>
internal static class SqlText
{
    /// <summary>Recognises <c>USE schema</c> (optionally back-quoted, with a trailing <c>;</c>).</summary>
    public static bool TryGetUseSchema(ReadOnlySpan<byte> sql, out string schema)
    {
        schema = "";
        sql = TrimStart(sql);
        if (sql.Length < 5 || !Ascii.EqualsIgnoreCase(sql[..3], "use"u8) || !IsSpace(sql[3]))
            return false;
        var rest = TrimEnd(TrimStart(sql[4..]));
        if (rest.Length > 0 && rest[^1] == (byte)';')
            rest = TrimEnd(rest[..^1]);
        if (rest.Length >= 2 && rest[0] == (byte)'`' && rest[^1] == (byte)'`')
            rest = rest[1..^1];
        if (rest.IsEmpty || rest.IndexOfAny(" \t\r\n;"u8) >= 0)
            return false;
        schema = Encoding.UTF8.GetString(rest);
        return true;
    }

    public static ReadOnlySpan<byte> TrimStart(ReadOnlySpan<byte> sql)
    {
        while (true)
        {
            var i = 0;
            while (i < sql.Length && IsSpace(sql[i]))
                i++;
            sql = sql[i..];
            if (sql.Length >= 4 && sql[0] == (byte)'/' && sql[1] == (byte)'*' && sql[2] != (byte)'!')
            {
                var end = sql[2..].IndexOf("*/"u8);
                if (end < 0)
                    return sql;
                sql = sql[(end + 4)..];
                continue;
            }
            return sql;
        }
    }

    private static ReadOnlySpan<byte> TrimEnd(ReadOnlySpan<byte> sql)
    {
        var end = sql.Length;
        while (end > 0 && IsSpace(sql[end - 1]))
            end--;
        return sql[..end];
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
}
